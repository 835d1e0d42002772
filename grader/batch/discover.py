"""Finding submissions: which student handed in what, and when.

Accepted layouts of SUBMISSIONS_DIR:
- a folder per student:        SUBMISSIONS_DIR/<student>/layers.py ...
- the `submit` zips:           SUBMISSIONS_DIR/<anything>.zip with a manifest.json naming the
                               student (without one, the zip's stem is the student id)
- nbgrader's exchange tree:    SUBMISSIONS_DIR/submitted/<student>/<assignment>/ (+ timestamp.txt)
and one submission given directly (a folder holding modules, a lone module file such as
layers.py, or one zip): see `single_submission` and `is_single_submission`.

Nothing here reads a submission's source; zips are opened only for their manifest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.batch.manifest import (MANIFEST_NAME, ManifestError, normalize_timestamp, parse_manifest,
                                   valid_student_id)
from grader.batch.unpack import SKIP_DIRS, read_zip_manifest

NBGRADER_SUBMITTED = "submitted"
NBGRADER_TIMESTAMP = "timestamp.txt"
DEFAULT_ZIP_STEM = "submission"  # the student `submit` command writes submission.zip


@dataclass(frozen=True)
class Submission:
    """One student's hand-in: `source` is a folder, a .zip or a .py file."""

    student: str
    source: Path
    layout: str                 # "folder" | "zip" | "nbgrader" | "file"
    submitted_at: str | None = None


@dataclass(frozen=True)
class Discovery:
    """What a submissions folder holds: submissions to grade, superseded ones, notes for the TA."""

    submissions: list[Submission]
    superseded: list[Submission]
    notes: list[str]


def discover(submissions_dir: str | os.PathLike, *, assignment: str) -> Discovery:
    """Every submission under `submissions_dir`, one per student (the latest one wins)."""
    root = Path(submissions_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder of submissions")
    notes: list[str] = []
    if (root / NBGRADER_SUBMITTED).is_dir():
        found = _nbgrader(root / NBGRADER_SUBMITTED, assignment, notes)
    else:
        found = _per_student(root, notes)
    return _one_per_student(found, notes)


def is_single_submission(path: str | os.PathLike, *, modules: tuple[str, ...]) -> bool:
    """True when `path` is one submission (a file, or a folder holding a module or a manifest),
    False when it is a folder of submissions."""
    path = Path(path)
    if not path.is_dir():
        return True
    if (path / NBGRADER_SUBMITTED).is_dir():
        return False
    return (path / MANIFEST_NAME).is_file() or any((path / f"{m}.py").exists() for m in modules)


def single_submission(path: str | os.PathLike, *, student: str | None = None) -> Submission:
    """One submission given directly; the student id is `student`, else the zip manifest's,
    else the folder's or zip's name, else "anonymous" (a lone module file)."""
    path = Path(path)
    if path.is_dir():
        layout, default = "folder", path.resolve().name
    elif path.suffix.lower() == ".zip":
        layout, default = "zip", path.stem
    else:
        layout, default = "file", "anonymous"
    manifest = read_zip_manifest(path) if layout == "zip" else None
    if layout == "folder" and (path / MANIFEST_NAME).is_file():
        try:
            manifest = parse_manifest((path / MANIFEST_NAME).read_bytes()[:1 << 20])
        except ManifestError:
            manifest = None
    chosen = student or (manifest.student if manifest else None) or default
    return Submission(student=chosen, source=path, layout=layout,
                      submitted_at=manifest.submitted_at if manifest else None)


def _visible(entry: Path) -> bool:
    return not entry.name.startswith(".") and entry.name not in SKIP_DIRS


def _per_student(root: Path, notes: list[str]) -> list[Submission]:
    found = []
    for entry in sorted(root.iterdir()):
        if not _visible(entry):
            continue
        if entry.suffix.lower() == ".zip" and not entry.is_dir():
            manifest = read_zip_manifest(entry)
            student = manifest.student if manifest else entry.stem
            if manifest and valid_student_id(entry.stem) and entry.stem not in (
                    student, DEFAULT_ZIP_STEM) and not entry.stem.startswith(DEFAULT_ZIP_STEM):
                notes.append(f"{entry.name} holds the manifest of {student!r}; graded as "
                             f"{student!r} (check the zip's name if it names its author)")
            found.append(Submission(student, entry, "zip",
                                    manifest.submitted_at if manifest else None))
        elif entry.is_dir() or entry.is_symlink():  # a symlinked folder is refused at unpack
            found.append(Submission(entry.name, entry, "folder"))
        else:
            notes.append(f"ignored {entry.name}: not a student folder or a .zip")
    return found


def _nbgrader(submitted: Path, assignment: str, notes: list[str]) -> list[Submission]:
    found = []
    for student_dir in sorted(submitted.iterdir()):
        if not _visible(student_dir) or not student_dir.is_dir():
            continue
        folder = student_dir / assignment
        if not (folder.is_dir() or folder.is_symlink()):
            notes.append(f"{student_dir.name} has no submission for {assignment!r}")
            continue
        found.append(Submission(student_dir.name, folder, "nbgrader", _nbgrader_time(folder, notes)))
    return found


def _nbgrader_time(folder: Path, notes: list[str]) -> str | None:
    stamp = folder / NBGRADER_TIMESTAMP
    if stamp.is_symlink() or not stamp.is_file():
        return None
    text = stamp.read_bytes()[:200].decode("utf-8", "replace")
    try:
        return normalize_timestamp(text)
    except ValueError:
        notes.append(f"{folder}: unreadable {NBGRADER_TIMESTAMP} {text.strip()!r}")
        return None


def _one_per_student(found: list[Submission], notes: list[str]) -> Discovery:
    """A student with several submissions is graded on the latest (by submitted_at, then by the
    file's modification time); the others are reported as superseded. Unusable ids are noted."""
    by_student: dict[str, list[Submission]] = {}
    for sub in found:
        if not valid_student_id(sub.student):
            notes.append(f"ignored {sub.source.name}: {sub.student!r} is not a usable student id")
            continue
        by_student.setdefault(sub.student, []).append(sub)
    chosen, superseded = [], []
    for student in sorted(by_student):
        subs = sorted(by_student[student], key=_recency)
        chosen.append(subs[-1])
        superseded.extend(subs[:-1])
        for old in subs[:-1]:
            notes.append(f"{student}: {old.source.name} superseded by {subs[-1].source.name}")
    return Discovery(submissions=chosen, superseded=superseded, notes=notes)


def _recency(sub: Submission) -> tuple[str, float, str]:
    try:
        mtime = os.lstat(sub.source).st_mtime
    except OSError:
        mtime = 0.0
    return (sub.submitted_at or "", mtime, sub.source.name)
