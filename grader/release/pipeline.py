"""The release as an ordered list of small steps, then gates, then one write.

Each step is a function `step(build) -> None` that adds to the in-memory `Build`; each is tested
on its own. Ordering rules (why the list is in this order):

1. `collect_secrets` runs first, on the untouched sources, so the leak scan knows every
   solution line and hidden check before anything is released.
2. `strip_modules`, `filter_checks`, `copy_metadata`, `vendor_framework`: the Python of the
   student folder; independent of one another.
3. `add_check_entry` after `vendor_framework`: it adds check.py only when grader/student was
   not vendored.
4. `record_expected` after `filter_checks`: it refuses keys of the checks that step removed.
5. `render_readme` after `add_check_entry` (it tells how to run the checks); `build_notebook`
   after the modules exist (independent of the README).
6. `pack_student_zip` after every step that writes the student folder: it packs that folder.
7. `build_nbgrader_course` after `vendor_framework` (it ships the vendored modules beside the
   notebook); `build_gradescope_bundle` last. Both are dist only and instructor-side.

The authoring gate (`grader.release.authoring`) runs before every step: an assignment that
declares a task nobody checks, points that disagree or a function nothing defines stops there,
with one line per mistake, before a step trips over it. The other gates run after every step and
before anything is written, cheapest first: the leak scan, the visible checks replayed from the
recorded values alone (as in the student release), the reference scoring full marks, the stubs
scoring zero. A failing gate raises `ReleaseError` naming file and line, and assignments/ and
dist/ stay as they were. An exception raised inside the assignment folder's own code during a
step or gate (a check, a layer case) also becomes a one-line `ReleaseError` naming that file
and line (`authoring.course_frame`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from grader.assignment import load_assignment
from grader.markers import MarkerError
from grader.release.authoring import authoring_gate, course_frame, describe, replay_gate
from grader.release.build import Build, ReleaseError
from grader.release.bundles import pack_student_zip
from grader.release.canonical import same_values
from grader.release.checkfilter import filter_checks
from grader.release.entry import add_check_entry
from grader.release.expected import PUBLIC_EXPECTED, record_expected
from grader.release.gates import reference_gate, stub_gate
from grader.release.gradescope import build_gradescope_bundle
from grader.release.leakscan import collect_secrets, leak_gate
from grader.release.metadata import copy_metadata
from grader.release.nbgrader_course import build_nbgrader_course
from grader.release.notebook import build_notebook
from grader.release.render import render_readme
from grader.release.runtime import RUNTIME, split_runtime, union
from grader.release.strip import strip_modules
from grader.release.vendor import vendor_framework

Step = Callable[[Build], None]

STEPS: tuple[tuple[str, Step], ...] = (
    ("collect secrets", collect_secrets),
    ("strip modules", strip_modules),
    ("filter checks", filter_checks),
    ("copy metadata", copy_metadata),
    ("vendor framework", vendor_framework),
    ("add check entry", add_check_entry),
    ("record public expected values", record_expected),
    ("render README", render_readme),
    ("build notebook", build_notebook),
    ("pack student zip", pack_student_zip),
    ("build nbgrader course", build_nbgrader_course),
    ("build Gradescope bundle", build_gradescope_bundle),
)

FIRST_GATES: tuple[tuple[str, Step], ...] = (
    ("authoring mistakes", authoring_gate),
)

GATES: tuple[tuple[str, Step], ...] = (
    ("leak scan", leak_gate),
    ("visible checks replay", replay_gate),
    ("reference scores full marks", reference_gate),
    ("stubs score zero", stub_gate),
)


def repo_root() -> Path:
    """The repository holding this package (solutions/ beside grader/)."""
    return Path(__file__).resolve().parents[2]


def assignment_names(repo: Path) -> list[str]:
    """Every assignment under solutions/, sorted. One named like the runtime's folder
    (assignments/_runtime) is a ReleaseError: the two would share a folder."""
    names = sorted(p.parent.name for p in (repo / "solutions").glob("*/assignment.toml"))
    if RUNTIME in names:
        raise ReleaseError(f"solutions/{RUNTIME}: that name is the student runtime's folder "
                           f"(assignments/{RUNTIME}); rename the assignment")
    return names


def build_assignment(name: str, *, repo: Path | None = None, gates: bool = True,
                     gradescope_secret: bytes | None = None) -> Build:
    """Run every step (and, unless `gates` is False, every gate) for one assignment.
    `gradescope_secret`: the course secret of the Gradescope bundle (None: no bundle)."""
    repo = Path(repo or repo_root()).resolve()
    build = Build(assignment=load_assignment(repo / "solutions" / name), repo=repo,
                  gradescope_secret=gradescope_secret)
    for title, step in (FIRST_GATES if gates else ()) + STEPS + (GATES if gates else ()):
        _run(title, step, build)
    return build


def _run(title: str, step: Step, build: Build) -> None:
    """`step(build)`; an exception from the assignment folder's own code becomes a one-line
    ReleaseError naming its file and line (ours, in the framework, propagates as it is)."""
    try:
        step(build)
    except (ReleaseError, MarkerError):
        raise
    except Exception as error:
        where = course_frame(error, build.assignment)
        if where is None:
            raise
        raise ReleaseError(f"{title}: {where}: {describe(error)}") from error


def build_release(names: list[str] | None = None, *, repo: Path | None = None,
                  gates: bool = True, gradescope_secret: bytes | None = None) -> list[Build]:
    """Build the named assignments (default: all), nothing written."""
    repo = Path(repo or repo_root()).resolve()
    names = list(names) if names else assignment_names(repo)
    unknown = sorted(set(names) - set(assignment_names(repo)))
    if unknown:
        raise ReleaseError(f"no assignment {unknown} under {repo / 'solutions'}")
    return [build_assignment(name, repo=repo, gates=gates, gradescope_secret=gradescope_secret)
            for name in names]


def same_content(rel: str, old: bytes, new: bytes) -> bool:
    """Whether a released file `rel` holding `old` already holds what `new` says: equal bytes, or
    for public_expected.npz the same values up to another CPU's rounding
    (`grader.release.canonical.same_values`)."""
    return old == new or (Path(rel).name == PUBLIC_EXPECTED and same_values(old, new))


def _sync(folder: Path, files: dict[str, bytes], *, prune: bool = True) -> list[str]:
    """Make `folder` hold exactly `files`; write only what differs (`same_content`). Returns the
    changed paths."""
    changed = []
    if prune and folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                changed.append(f"removed {rel}")
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for rel in sorted(files):
        target = folder / rel
        if target.is_file() and same_content(rel, target.read_bytes(), files[rel]):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(files[rel])
        os.replace(tmp, target)
        changed.append(f"wrote {rel}")
    return changed


def runtime_share(name: str, repo: Path) -> dict[str, bytes]:
    """The framework files assignment `name` needs in its student folder, without building the
    rest of its release (the two steps that decide them: `filter_checks`, `vendor_framework`)."""
    build = Build(assignment=load_assignment(repo / "solutions" / name), repo=repo)
    for title, step in (("filter checks", filter_checks), ("vendor framework", vendor_framework)):
        _run(title, step, build)
    return split_runtime(build.files)[1]


def course_runtime(builds: list[Build]) -> dict[str, bytes]:
    """The student runtime (grader/... -> bytes): the union of the shares of `builds` and of every
    other assignment of their course (`runtime_share`), so that releasing some assignments keeps
    what the others need."""
    if not builds:
        return {}
    repo = builds[0].repo
    shares = {b.name: split_runtime(b.files)[1] for b in builds}
    for name in assignment_names(repo):
        if name not in shares:
            shares[name] = runtime_share(name, repo)
    return union(shares)


def write_release(builds: list[Build], *, assignments_dir: Path, dist_dir: Path) -> list[str]:
    """Write each build's own files to assignments_dir/<a>/ (exactly), the course's student
    runtime to assignments_dir/_runtime/ (exactly) and the dist files to dist_dir/; return what
    changed."""
    changed = []
    for build in builds:
        own, _ = split_runtime(build.files)
        changed += [f"{c} ({assignments_dir.name}/{build.name})"
                    for c in _sync(Path(assignments_dir) / build.name, own)]
        nbgrader = {k.removeprefix("nbgrader/"): v for k, v in build.dist.items() if k.startswith("nbgrader/")}
        others = {k: v for k, v in build.dist.items() if not k.startswith("nbgrader/")}
        changed += _sync(Path(dist_dir), others, prune=False)
        changed += _sync(Path(dist_dir) / "nbgrader", nbgrader, prune=False)
    if builds:
        changed += [f"{c} ({assignments_dir.name}/{RUNTIME})"
                    for c in _sync(Path(assignments_dir) / RUNTIME, course_runtime(builds))]
    return changed


def _stale(files: dict[str, bytes], folder: Path) -> list[str]:
    """How `folder` differs from `files` ({path: bytes}): empty when it holds exactly them."""
    folder = Path(folder)
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
               and "__pycache__" not in p.parts} if folder.is_dir() else set()
    stale = [f"{folder / rel}: missing" for rel in sorted(set(files) - on_disk)]
    stale += [f"{folder / rel}: not produced by the release" for rel in sorted(on_disk - set(files))]
    stale += [f"{folder / rel}: differs" for rel in sorted(on_disk & set(files))
              if not same_content(rel, (folder / rel).read_bytes(), files[rel])]
    return stale


def stale_files(build: Build, folder: Path) -> list[str]:
    """How `folder` (a committed assignments/<a>/) differs from `build`'s own files (those not
    of the runtime): empty when current."""
    return _stale(split_runtime(build.files)[0], folder)


def stale_runtime(builds: list[Build], folder: Path) -> list[str]:
    """How `folder` (the committed assignments/_runtime/) differs from the course's student
    runtime (`course_runtime(builds)`): empty when current."""
    return _stale(course_runtime(builds), folder)
