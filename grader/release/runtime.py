"""The student runtime: the framework code the student folders need, written once per release.

A build's student folder (`Build.files`, what the student zip, the nbgrader course and the gates
use) holds the assignment's own files and its share of the framework under `grader/`
(`grader.release.vendor`). The committed release keeps the two apart:

    assignments/<a>/            the assignment's own files, no framework code
    assignments/_runtime/grader the union of every assignment's share, one copy

so a change to one assignment rewrites only assignments/<a>/, and the runtime changes only when
the framework code (or what a check module imports of it) does. The union is taken over every
assignment of the course, also on a release of some of them (`course_runtime`), so releasing
one never drops a module another needs. In the checkout the runtime is put on the path by the
assignment's Makefile and the root `make check` (`PYTHONPATH=../_runtime`); every artefact that
leaves the repo (student zip, nbgrader course) carries the folder with its share, so a student
with numpy alone runs `python -m grader check` in the unpacked folder. A folder, not a wheel:
git shows a change to it as a diff of the module that changed, and it is importable as it is,
with no install step.

Standard library only (the bench's cold start and the tests use `copy_student_folder`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

RUNTIME = "_runtime"       # the folder under assignments/
PACKAGE = "grader/"        # what of a student folder is the runtime's


def split_runtime(files: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(the assignment's own files, its share of the runtime) of a student folder
    {posix path: bytes}."""
    own = {rel: data for rel, data in files.items() if not rel.startswith(PACKAGE)}
    shared = {rel: data for rel, data in files.items() if rel.startswith(PACKAGE)}
    return own, shared


def union(shares: dict[str, dict[str, bytes]]) -> dict[str, bytes]:
    """The runtime holding every share ({assignment: {path: bytes}}). Two shares that disagree on
    a file are our bug (each copies the same framework file), so that raises, naming both."""
    merged: dict[str, bytes] = {}
    owner: dict[str, str] = {}
    for name in sorted(shares):
        for rel, data in shares[name].items():
            if rel in merged and merged[rel] != data:
                raise RuntimeError(f"{rel}: the student runtime of {owner[rel]} and of {name} "
                                   "differ; both must be the framework's file")
            merged.setdefault(rel, data)
            owner.setdefault(rel, name)
    return merged


def copy_student_folder(assignments_dir: Path, name: str, dest: Path) -> Path:
    """Copy assignments_dir/<name>/ and the runtime's grader/ into `dest` (created; it must not
    exist), giving the folder a student unzips (with the whole runtime, not only the
    assignment's share). Returns `dest`."""
    source, runtime = Path(assignments_dir) / name, Path(assignments_dir) / RUNTIME / "grader"
    for folder in (source, runtime):
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is missing: run `make release`")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(source, dest, ignore=ignore)
    shutil.copytree(runtime, Path(dest) / "grader", ignore=ignore)
    return Path(dest)
