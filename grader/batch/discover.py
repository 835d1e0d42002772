"""Finding submissions: which student handed in what, and when, from trusted places only.

Accepted layouts of SUBMISSIONS_DIR:
- a folder per student:        SUBMISSIONS_DIR/<student>/layers.py ...
- zips named by student:       SUBMISSIONS_DIR/<student>.zip (e.g. the `submit` zip, renamed)
- nbgrader's exchange tree:    SUBMISSIONS_DIR/submitted/<student>/<assignment>/ (+ timestamp.txt)
- a Canvas or Moodle bulk download, unzipped (grader.batch.lms)
and one submission given directly (a folder holding modules, a lone module file such as
layers.py, or one zip): see `single_submission` and `is_single_submission`.

Identity comes from where a submission was found (its folder's or zip's name, the LMS's file
names, nbgrader's folder, then the roster: grader.batch.roster), never from the manifest.json a
student's zip carries: a manifest naming someone else is flagged (grader.batch.job) and changes
nothing else, so a zip cannot take over another student's grade. A zip whose name is the
`submit` default (`submission.zip`, `submission (2).zip`) names nobody and is not graded (a
note says to rename it). `submitted_at` comes only from a trusted source, recorded in
`time_source`: nbgrader's timestamp.txt, the LMS download's file times, or the TA's CSV
(`apply_times`); otherwise it is unknown (on time).

Nothing here reads a submission's source.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from grader.batch import lms
from grader.batch.manifest import (MANIFEST_NAME, normalize_timestamp, normalise_student_id,
                                   usable_student_id)
from grader.batch.unpack import SKIP_DIRS

NBGRADER_SUBMITTED = "submitted"
NBGRADER_TIMESTAMP = "timestamp.txt"
DEFAULT_ZIP_STEM = "submission"  # the student `submit` command writes submission.zip
_DEFAULT_ZIP = re.compile(r"^submission(?:[ _-]?\(?\d+\)?)?$", re.IGNORECASE)
TA_TIMES = "ta csv"


@dataclass(frozen=True)
class Submission:
    """One student's hand-in: `source` is a folder, a .zip or a .py file; or, for an LMS
    download's renamed files, `members` ((name to grade it under, path), ...) under `source`.

    student_source / time_source: where the id and submitted_at came from (recorded in the
    gradebook). lms_id, name: the LMS's id and display name. flags: facts for the TA
    (a disagreeing manifest, an unknown submitter, Canvas's late marker)."""

    student: str
    source: Path
    layout: str                 # "folder" | "zip" | "nbgrader" | "file" | "canvas" | "moodle"
    submitted_at: str | None = None
    student_source: str = "folder name"
    time_source: str | None = None
    members: tuple[tuple[str, str], ...] | None = None
    lms_id: str | None = None
    name: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Discovery:
    """What a submissions folder holds: submissions to grade, superseded ones, notes for the TA."""

    submissions: list[Submission]
    superseded: list[Submission]
    notes: list[str]


def discover(submissions_dir: str | os.PathLike, *, assignment: str, roster=None,
             times_csv: str | os.PathLike | None = None) -> Discovery:
    """Every submission under `submissions_dir`, one per student (the latest one wins).
    roster: RosterEntry list (grader.batch.roster) mapping what was found to roster ids.
    times_csv: the TA's submission times (`apply_times`)."""
    root = Path(submissions_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder of submissions")
    notes: list[str] = []
    layout = None if (root / NBGRADER_SUBMITTED).is_dir() else lms.detect(root)
    if (root / NBGRADER_SUBMITTED).is_dir():
        found = _nbgrader(root / NBGRADER_SUBMITTED, assignment, notes)
    elif layout:
        found = _lms(root, layout, notes)
    else:
        found = _per_student(root, notes)
    if roster is not None:
        from grader.batch.roster import NOT_ON_ROSTER, match
        found = match(found, roster)
        notes.extend(f"{s.student} ({s.source.name}) is {NOT_ON_ROSTER}: graded and flagged"
                     for s in found if NOT_ON_ROSTER in s.flags)
    result = _one_per_student(found, notes)
    return apply_times(result, times_csv) if times_csv else result


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
    """One submission given directly; the student id is `student`, else the folder's or zip's
    name, else "anonymous" (a lone module file). A manifest never names the student."""
    path = Path(path)
    if path.is_dir():
        layout, default, source = "folder", path.resolve().name, "folder name"
    elif path.suffix.lower() == ".zip":
        layout, default, source = "zip", path.stem, "zip name"
    else:
        layout, default, source = "file", "anonymous", "none"
    if student is not None:
        return Submission(student=student, source=path, layout=layout, student_source="given")
    return Submission(student=normalise_student_id(default), source=path, layout=layout,
                      student_source=source)


def apply_times(found: Discovery, times_csv: str | os.PathLike) -> Discovery:
    """submitted_at from a TA-given CSV (columns `student`, `submitted_at`; ISO 8601), which
    wins over every other source; a student missing from it keeps what was found."""
    with open(times_csv, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if rows and not {"student", "submitted_at"} <= set(rows[0]):
        raise ValueError(f"{times_csv}: the CSV needs the columns student and submitted_at")
    times = {}
    for row in rows:
        try:
            times[normalise_student_id(row["student"])] = normalize_timestamp(row["submitted_at"])
        except ValueError:
            raise ValueError(f"{times_csv}: {row['student']!r}: submitted_at "
                             f"{row['submitted_at']!r} is not ISO 8601") from None
    subs = [replace(s, submitted_at=times[s.student], time_source=TA_TIMES)
            if s.student in times else s for s in found.submissions]
    return Discovery(submissions=subs, superseded=found.superseded, notes=found.notes)


def _visible(entry: Path) -> bool:
    return not entry.name.startswith(".") and entry.name not in SKIP_DIRS


def _per_student(root: Path, notes: list[str]) -> list[Submission]:
    found = []
    for entry in sorted(root.iterdir()):
        if not _visible(entry):
            continue
        if entry.suffix.lower() == ".zip" and not entry.is_dir():
            stem = normalise_student_id(entry.stem)
            if _DEFAULT_ZIP.match(stem):
                notes.append(f"ignored {entry.name}: its name does not say whose it is (a zip is "
                             "graded as the student its name gives: rename it <student>.zip)")
                continue
            found.append(Submission(stem, entry, "zip", student_source="zip name"))
        elif entry.is_dir() or entry.is_symlink():  # a symlinked folder is refused at unpack
            found.append(Submission(normalise_student_id(entry.name), entry, "folder"))
        else:
            notes.append(f"ignored {entry.name}: not a student folder or a .zip")
    return found


def _lms(root: Path, layout: str, notes: list[str]) -> list[Submission]:
    read = lms.read_canvas if layout == "canvas" else lms.read_moodle
    found = []
    for entry in read(root, notes):
        members = entry["members"]
        found.append(Submission(
            student=normalise_student_id(entry["student"]), source=Path(entry["source"]),
            layout=layout, submitted_at=entry["submitted_at"],
            student_source=f"{layout} file name", time_source=lms.FILE_TIMES,
            members=tuple(sorted((n, str(p)) for n, p in members.items())) if members else None,
            lms_id=entry["lms_id"], name=entry["name"], flags=tuple(entry["flags"])))
    notes.append(f"read a {layout.capitalize()} download: {len(found)} submission(s)")
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
        when = _nbgrader_time(folder, notes)
        found.append(Submission(normalise_student_id(student_dir.name), folder, "nbgrader", when,
                                student_source="nbgrader folder",
                                time_source="nbgrader timestamp.txt" if when else None))
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
        if not usable_student_id(sub.student):
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
