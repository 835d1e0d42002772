"""`python -m grader submit --student ID`: validate the modules, then write submission.zip.

Validation (each failure is a message for the student, and no zip is written):
- the student id is short and path-free (the grader's manifest rule);
- every module of the assignment exists, is at most `MAX_FILE_BYTES`, all at most
  `MAX_TOTAL_BYTES`, and is UTF-8;
- in a separate Python process, every module imports and every task function exists and is
  callable (the student's code never runs in this process).

The zip: top-level members are the module files then ``manifest.json``, in that fixed order
(modules sorted by name), each with a fixed timestamp and mode, so two submissions of the same
files at the same moment are identical bytes. The manifest:
``{"student", "assignment", "submitted_at" (ISO 8601 UTC), "files": {name: sha256}, "tool_version"}``.

Student-safe: standard library only.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from grader.student.layout import Layout, read_layout

MAX_FILE_BYTES = 1 << 20        # 1 MiB per module
MAX_TOTAL_BYTES = 4 << 20       # 4 MiB per submission
IMPORT_TIMEOUT_S = 60.0
ZIP_NAME = "submission.zip"
MANIFEST = "manifest.json"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Same rule as grader.batch.manifest (which the release does not ship).
_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}$")

# Runs in a separate interpreter: import the modules as one package, list what is missing.
_PROBE = r"""
import importlib, json, sys, traceback, types
root, wanted, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
package = types.ModuleType("submission"); package.__path__ = [root]
sys.modules["submission"] = package
problems = []
for stem, names in wanted.items():
    try:
        module = importlib.import_module("submission." + stem)
    except BaseException as exc:
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({last[0].filename.rsplit('/', 1)[-1]}, line {last[0].lineno})" if last else ""
        problems.append(f"{stem}.py does not import: {type(exc).__name__}: {exc}{where}")
        continue
    for name in names:
        if not callable(getattr(module, name, None)):
            problems.append(f"{stem}.py has no function {name}")
with open(out, "w") as handle:
    json.dump(problems, handle)
"""


def valid_student_id(student: str) -> bool:
    """Short and path-free: letters, digits and `_.@+-` (the grader's rule, pinned by a test)."""
    return bool(_STUDENT_ID.match(student)) and ".." not in student


class SubmitError(Exception):
    """The submission is not valid; the message lists every problem found."""


@dataclass(frozen=True)
class Submission:
    path: Path
    manifest: dict


def _version() -> str:
    from grader import __version__
    return __version__


def _functions(layout: Layout) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {stem: [] for stem in layout.modules}
    for task in layout.tasks:
        for qualified in task.functions:
            stem, _, name = qualified.rpartition(".")
            wanted.setdefault(stem, [])
            if name not in wanted[stem]:
                wanted[stem].append(name)
    return wanted


def probe_imports(layout: Layout, *, timeout_s: float = IMPORT_TIMEOUT_S) -> list[str]:
    """Import every module in a child interpreter; the problems found (empty when all is well)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "probe.json"
        try:
            completed = subprocess.run(
                [sys.executable, "-I", "-c", _PROBE, str(layout.root),
                 json.dumps(_functions(layout)), str(out)],
                cwd=tmp, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return [f"importing your modules took over {timeout_s:g} s (a loop at import time?)"]
        if not out.is_file():
            tail = (completed.stderr or "").strip().splitlines()[-1:] or ["no output"]
            return [f"importing your modules stopped the interpreter "
                    f"(exit status {completed.returncode}): {tail[0]}"]
        return json.loads(out.read_text())


def validate(layout: Layout, student: str) -> dict[str, bytes]:
    """Check everything; return {file name: bytes} of the modules, or raise SubmitError."""
    problems = []
    if not valid_student_id(student):
        problems.append(f"student id {student!r} is not valid: use letters, digits and _.@+- "
                        "(at most 128 characters)")
    files: dict[str, bytes] = {}
    for stem in layout.modules:
        path = layout.module_file(stem)
        if not path.is_file():
            problems.append(f"{path.name} is missing")
            continue
        data = path.read_bytes()
        if len(data) > MAX_FILE_BYTES:
            problems.append(f"{path.name} is {len(data)} bytes; the limit is {MAX_FILE_BYTES}")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{path.name} is not UTF-8 text (byte {exc.start})")
        files[path.name] = data
    total = sum(len(d) for d in files.values())
    if total > MAX_TOTAL_BYTES:
        problems.append(f"your modules total {total} bytes; the limit is {MAX_TOTAL_BYTES}")
    if not problems:
        problems.extend(probe_imports(layout))
    if problems:
        raise SubmitError("cannot submit:\n" + "\n".join(f"  - {p}" for p in problems))
    return files


def _raises_not_implemented(node) -> bool:
    import ast
    for child in ast.walk(node):
        if isinstance(child, ast.Raise) and child.exc is not None:
            target = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
            if isinstance(target, ast.Name) and target.id == "NotImplementedError":
                return True
    return False


def unimplemented_tasks(layout: Layout) -> list[str]:
    """Task ids one of whose functions still raises NotImplementedError (read with the AST;
    nothing of the student's runs here)."""
    import ast
    stubs: set[str] = set()
    for stem in {q.rpartition(".")[0] for t in layout.tasks for q in t.functions}:
        path = layout.module_file(stem)
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue  # validate() reports it
        stubs |= {f"{stem}.{n.name}" for n in tree.body
                  if isinstance(n, ast.FunctionDef) and _raises_not_implemented(n)}
    return [t.id for t in layout.tasks if any(q in stubs for q in t.functions)]


def build_manifest(layout: Layout, student: str, files: dict[str, bytes],
                   submitted_at: datetime) -> dict:
    return {
        "student": student,
        "assignment": layout.name,
        "submitted_at": submitted_at.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "files": {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)},
        "tool_version": _version(),
    }


def write_zip(path: Path, files: dict[str, bytes], manifest: dict) -> Path:
    members = [(name, files[name]) for name in sorted(files)]
    members.append((MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()))
    tmp = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    tmp.replace(path)
    return path


def make_submission(start: str | Path | None = None, *, student: str,
                    out: str | Path | None = None, now: datetime | None = None,
                    force: bool = False) -> Submission:
    """Validate the modules of the assignment folder at/above ``start`` and write the zip;
    SubmitError listing the unimplemented tasks unless ``force``."""
    layout = read_layout(start)
    files = validate(layout, student)
    stubs = unimplemented_tasks(layout)
    if stubs and not force:
        raise SubmitError(f"{len(stubs)} of {len(layout.tasks)} tasks are not implemented yet "
                          "(they still raise NotImplementedError):\n"
                          + "\n".join(f"  - {t}" for t in stubs)
                          + "\nimplement them, or run submit again with --force to hand in "
                          "as it is")
    manifest = build_manifest(layout, student, files, now or datetime.now(timezone.utc))
    path = Path(out) if out is not None else layout.root / ZIP_NAME
    return Submission(path=write_zip(path, files, manifest), manifest=manifest)


def main(start: str | Path | None = None, *, student: str, out: str | Path | None = None,
         force: bool = False) -> int:
    try:
        submission = make_submission(start, student=student, out=out, force=force)
    except SubmitError as exc:
        print(exc, file=sys.stderr)
        return 1
    names = ", ".join(submission.manifest["files"])
    print(f"wrote {submission.path} ({names} + {MANIFEST}) for {submission.manifest['student']} "
          f"at {submission.manifest['submitted_at']}")
    return 0
