"""The leak scan: no solution line and no hidden check (name, line) of any assignment of the
course in anything released.

Secrets are gathered from the sources before anything is released (`collect_secrets`):
- every line inside a solution region of a module, whitespace-normalised, of 3+ tokens;
- every line of a removed (non-visible) check or hidden-tests region, same rule;
- every removed check's function name and id (matched as a whole word), and those of the
  hidden checks derived from the layer cases (grader.checks.derived).
A line that the release ships anyway (given code or a docstring stating a formula, a visible
check, a vendored framework module) is public already and not a secret.

`scan(files, secrets)` reads every released file: text files line by line, notebooks cell by
cell (sources and outputs), zip archives (.zip, .npz) member by member, recursively (member
names and comments too). A hit names the released file (and member), the line and the secret's
origin.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass

from grader import markers
from grader.release.build import Build, ReleaseError, Secret
from grader.release.checkfilter import derived_hidden_ids, filter_checks_source
from grader.release.vendor import imported_modules, student_safe_closure

MIN_TOKENS = 3
_TOKEN = re.compile(r"\w+|[^\w\s]")


def normalise(line: str) -> str:
    """Tokens (identifiers/numbers, single punctuation marks) joined by single spaces."""
    return " ".join(_TOKEN.findall(line))


@dataclass(frozen=True)
class Leak:
    """A secret found in a released file: `where` is "backprop-student.zip!backprop/layers.py:30"."""

    where: str
    secret: Secret

    def __str__(self) -> str:
        return f"{self.where}: {self.secret.kind} from {self.secret.origin}: {self.secret.text!r}"


def _normalised_body(text: str) -> str:
    """A text as normalised lines, each padded with spaces: " tok tok \n tok tok " (for
    token-boundary substring search with `f" {secret} " in body`)."""
    return "\n".join(f" {normalise(line)} " for line in text.splitlines())


def _line_secrets(kind: str, lines, origin_file: str, public_body: str) -> list[Secret]:
    found = []
    for lineno, text in lines:
        norm = normalise(text)
        if len(norm.split()) >= MIN_TOKENS and f" {norm} " not in public_body:
            found.append(Secret(kind, norm, f"{origin_file}:{lineno}"))
    return found


def collect_secrets(build: Build) -> None:
    """Step: fill `build.secrets` from the assignment's modules and check modules.

    A line that the release ships anyway is public, not a secret: it occurs (as whole tokens)
    in the modules' given code and docstrings, in the visible checks, or in a vendored
    framework module."""
    root = build.assignment.root
    secret_lines, public = [], []
    for stem in build.assignment.modules:
        path = root / f"{stem}.py"
        source = markers.read_source(path)
        inside = {n for n, _ in markers.solution_lines(source, filename=build.rel(path))}
        public.extend(text for n, text in enumerate(source.splitlines(), start=1) if n not in inside)
        secret_lines.append(("solution line", markers.solution_lines(source), build.rel(path)))
    names, framework = [], []
    for path in build.assignment.check_paths():
        source = markers.read_source(path)
        filtered = filter_checks_source(source, filename=build.rel(path))
        public.extend(filtered.public.splitlines())
        secret_lines.append(("hidden check line", filtered.hidden_lines, build.rel(path)))
        names.extend((name, build.rel(path)) for name in filtered.hidden_names)
        framework += imported_modules(build.repo, build.rel(path), filtered.public)
    for rel in student_safe_closure(build.repo, framework):
        public.extend((build.repo / rel).read_text(encoding="utf-8").splitlines())
    public_body = _normalised_body("\n".join(public))
    for kind, lines, origin in secret_lines:
        build.secrets.extend(_line_secrets(kind, lines, origin, public_body))
    names += [(check_id.split("/", 1)[1], "grader/checks/derived.py")
              for check_id in derived_hidden_ids(build.assignment)]
    for name, origin in names:
        build.secrets.append(Secret("hidden check name", name, origin))
        build.secrets.append(Secret("hidden check name", f"{build.name}/{name}", origin))
    build.notes.append(f"collected {len(build.secrets)} secret(s) for the leak scan")


def _texts(name: str, data: bytes):
    """(where, text) pairs to scan for a released file; recurses into archives."""
    if data[:4] == b"PK\x03\x04" or name.endswith((".zip", ".npz")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                yield f"{name}!(member name)", info.filename + "\n" + info.comment.decode("utf-8", "replace")
                yield from _texts(f"{name}!{info.filename}", archive.read(info))
        return
    if name.endswith(".ipynb"):
        notebook = json.loads(data.decode("utf-8"))
        for index, cell in enumerate(notebook.get("cells", [])):
            source = cell.get("source", "")
            yield f"{name}#cell{index}", "".join(source) if isinstance(source, list) else source
            for output in cell.get("outputs", []):
                text = output.get("text", "") or json.dumps(output.get("data", {}))
                yield f"{name}#cell{index}(output)", "".join(text) if isinstance(text, list) else text
        yield f"{name}(metadata)", json.dumps(notebook.get("metadata", {}))
        return
    if name.endswith(".npy"):
        return  # numbers: the npz's member names and comments carry the keys
    yield name, data.decode("utf-8", "replace")


def scan(files: dict[str, bytes], secrets: list[Secret]) -> list[Leak]:
    """Every occurrence of a secret in `files` ({released path: bytes}); empty means clean."""
    line_secrets = [s for s in secrets if s.kind != "hidden check name"]
    names = [s for s in secrets if s.kind == "hidden check name"]
    name_pattern = (re.compile(r"(?<![\w/])(" + "|".join(re.escape(s.text) for s in names) + r")(?!\w)")
                    if names else None)
    by_name = {s.text: s for s in names}
    leaks = []
    for path in sorted(files):
        for where, text in _texts(path, files[path]):
            lines = text.splitlines()
            body = _normalised_body(text)
            for secret in line_secrets:
                at = body.find(f" {secret.text} ")
                if at >= 0:
                    leaks.append(Leak(f"{where}:{body.count(chr(10), 0, at) + 1}", secret))
            if name_pattern is not None:
                for lineno, line in enumerate(lines, start=1):
                    for match in name_pattern.finditer(line):
                        leaks.append(Leak(f"{where}:{lineno}", by_name[match.group(1)]))
    return leaks


def instructor_only(dist_path: str) -> bool:
    """dist files that hold solutions by design: the nbgrader course source (its release is
    what students get, scanned in the tests) and the Gradescope grading bundle."""
    return dist_path.startswith("nbgrader/source/") or dist_path.endswith("-gradescope.zip")


def course_secrets(build: Build) -> list[Secret]:
    """The secrets of every other assignment of the course (solutions/*/assignment.toml beside
    this one): one assignment's release must not ship another's solution or hidden check (a
    helper given in rnn that is a graded solution in backprop)."""
    from grader.assignment import load_assignment
    found = []
    for toml in sorted((build.repo / "solutions").glob("*/assignment.toml")):
        if toml.parent.name == build.name:
            continue
        other = Build(assignment=load_assignment(toml.parent), repo=build.repo)
        collect_secrets(other)
        found.extend(other.secrets)
    return found


def leak_gate(build: Build) -> None:
    """Gate: the student folder and every dist file scanned against the secrets of every
    assignment of the course; a leak stops the release."""
    released = dict(build.files)
    released.update({f"dist/{k}": v for k, v in build.dist.items() if not instructor_only(k)})
    secrets = build.secrets + course_secrets(build)
    leaks = scan(released, secrets)
    if leaks:
        shown = "\n  ".join(map(str, leaks[:20]))
        raise ReleaseError(f"leak scan of {build.name}: {len(leaks)} leak(s)\n  {shown}")
    build.notes.append(f"leak scan: {len(released)} file(s) clean of {len(secrets)} secret(s) "
                       "of the course's assignments")
