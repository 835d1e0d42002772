"""The course roster (`grade --roster FILE`): who should have submitted, and their extensions.

A CSV with a header; only `student` is required:

    student,name,email,lms_id,section,extension_days,extension_days:rnn
    ada,Ada Lovelace,ada@example.org,12345,A,0,2

- lms_id: the student's Canvas user id or Moodle participant id, so an LMS download's files
  map to roster ids; name and email map them too (Moodle names folders by full name).
- extension_days: days added to every assignment's due date for this student;
  `extension_days:<assignment>` for one assignment (it wins over the general one).

Every roster student appears in the gradebook: one with no submission gets a row worth 0
(status "error", message "no submission", submission_hash NO_SUBMISSION_HASH; their first
real submission takes its place); a submitter who is not on the roster
is graded as found and flagged.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from grader.batch.manifest import normalise_student_id, usable_student_id
from grader.checks.results import SubmissionResult

NO_SUBMISSION = "no submission"
NO_SUBMISSION_HASH = "no-submission"
NOT_ON_ROSTER = "not on the roster"


class RosterError(ValueError):
    """A roster that cannot be used; the message names the file and row."""


@dataclass(frozen=True)
class RosterEntry:
    student: str
    name: str | None = None
    email: str | None = None
    lms_id: str | None = None
    section: str | None = None
    extensions: dict = field(default_factory=dict)   # {assignment or "*": days}

    def extension_days(self, assignment: str) -> float:
        return float(self.extensions.get(assignment, self.extensions.get("*", 0.0)))

    def as_row(self) -> dict:
        return {"student": self.student, "name": self.name, "email": self.email,
                "lms_id": self.lms_id, "section": self.section, "extensions": self.extensions}


def _days(text: str, where: str) -> float:
    try:
        days = float(text)
    except ValueError:
        raise RosterError(f"{where}: extension {text!r} is not a number of days") from None
    if days < 0:
        raise RosterError(f"{where}: extension {text!r} is negative")
    return days


def read_roster(path: str | os.PathLike) -> list[RosterEntry]:
    """The roster's entries, in file order; RosterError on a bad file."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "student" not in reader.fieldnames:
            raise RosterError(f"{path}: the roster needs a header with a `student` column")
        entries, seen = [], set()
        for lineno, row in enumerate(reader, start=2):
            where = f"{path}:{lineno}"
            student = normalise_student_id(row.get("student") or "")
            if not usable_student_id(student):
                raise RosterError(f"{where}: {student!r} is not a usable student id")
            if student in seen:
                raise RosterError(f"{where}: {student!r} is on the roster twice")
            seen.add(student)
            extensions = {}
            for column, value in row.items():
                if column and column.startswith("extension_days") and (value or "").strip():
                    key = column.partition(":")[2].strip() or "*"
                    extensions[key] = _days(value.strip(), where)
            clean = {k: (normalise_student_id(row.get(k) or "") or None)
                     for k in ("name", "email", "lms_id", "section")}
            entries.append(RosterEntry(student=student, extensions=extensions, **clean))
    return entries


def _key(text: str | None) -> str | None:
    return normalise_student_id(text).casefold() if text else None


def match(submissions, roster: list[RosterEntry]):
    """The submissions with roster ids: matched by LMS id, then id, then email, then name;
    a submitter not on the roster keeps the id it was found under and is flagged."""
    by_lms = {e.lms_id: e for e in roster if e.lms_id}
    by_id = {_key(e.student): e for e in roster}
    by_email = {_key(e.email): e for e in roster if e.email}
    by_name = {_key(e.name): e for e in roster if e.name}
    out = []
    for sub in submissions:
        entry = ((by_lms.get(sub.lms_id) if sub.lms_id else None) or by_id.get(_key(sub.student))
                 or by_email.get(_key(sub.student)) or by_name.get(_key(sub.name or sub.student)))
        if entry is None:
            out.append(replace(sub, flags=sub.flags + (NOT_ON_ROSTER,)))
        else:
            out.append(replace(sub, student=entry.student, name=sub.name or entry.name,
                               student_source=f"{sub.student_source} via the roster"))
    return out


def no_submission(assignment: str, entry: RosterEntry) -> SubmissionResult:
    """The gradebook row of a roster student who handed nothing in: 0, no checks."""
    return SubmissionResult(assignment=assignment, student=entry.student,
                            submission_hash=NO_SUBMISSION_HASH, checks=[], status="error",
                            message=NO_SUBMISSION, started_at=datetime.now(timezone.utc).isoformat(),
                            duration_s=0.0, submitted_at=None)
