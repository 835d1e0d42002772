"""Gradebook CSVs an LMS imports, with the final score (after late penalties) of every student.

Canvas (Grades > Import): the columns of Canvas's own gradebook export,

    Student,ID,SIS User ID,SIS Login ID,Section,<assignment column>
        Points Possible,,,,,<max>

`ID` is the Canvas user id (from the download's file names or the roster's lms_id);
`<assignment column>` is "<name> (<Canvas assignment id>)" to update an existing column, or a
new name for a new one (`canvas_column`; default the assignment's name). The
"Points Possible" row is the one Canvas writes; it ignores it on import.
Moodle (Assignment > grading action "Upload grading worksheet"): Moodle's grading worksheet,

    Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,
    Last modified (submission),Last modified (grade),Feedback comments

`Identifier` is "Participant <participant id>" (from the download's folder names or the
roster's lms_id), which is how Moodle matches rows.
Scores are written with repr-precision; a student missing an LMS id is written with an empty
id and listed in the returned `missing_ids`, so the TA sees who cannot be matched.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from grader.reports.grades import GradeRow

CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_HEADER = ("Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                 "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                 "Feedback comments")


@dataclass(frozen=True)
class Written:
    path: Path
    missing_ids: list[str]


def _person(people: dict, student: str) -> dict:
    return people.get(student) or {}


def write_canvas(rows: list[GradeRow], assignment, path, *, people: dict,
                 canvas_column: str | None = None) -> Written:
    """Write the Canvas import CSV of `rows`; people: {student: {name, email, lms_id, section}}."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    missing = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*CANVAS_HEADER, canvas_column or assignment.name])
        writer.writerow(["    Points Possible", "", "", "", "", repr(float(assignment.points))])
        for row in rows:
            who = _person(people, row.student)
            if not who.get("lms_id"):
                missing.append(row.student)
            writer.writerow([who.get("name") or row.student, who.get("lms_id") or "", row.student,
                             who.get("email") or row.student, who.get("section") or "",
                             repr(row.final)])
    return Written(path, missing)


def write_moodle(rows: list[GradeRow], assignment, path, *, people: dict) -> Written:
    """Write the Moodle grading worksheet of `rows` (see the module doc)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    missing = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MOODLE_HEADER)
        for row in rows:
            who = _person(people, row.student)
            if not who.get("lms_id"):
                missing.append(row.student)
            status = "No submission" if row.submission_hash == "no-submission" else \
                "Submitted for grading"
            note = f"{row.days_late} day(s) late" if row.days_late else ""
            writer.writerow([f"Participant {who['lms_id']}" if who.get("lms_id") else "",
                             who.get("name") or row.student, who.get("email") or "", status,
                             repr(row.final), repr(float(assignment.points)), "Yes",
                             row.submitted_at or "", "", note])
    return Written(path, missing)


def read_rows(path) -> list[dict]:
    """The rows of an exported CSV as dicts (Canvas's "Points Possible" row skipped)."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle)
                if r.get("Student", "").strip() != "Points Possible"]


def people_of(gradebook_path, assignment_name: str, roster: list[dict] | None = None) -> dict:
    """{student: {name, email, lms_id, section}} from the roster (given, else the gradebook's)
    and what the LMS download said (the gradebook's provenance); the roster wins."""
    path = Path(gradebook_path)
    found, stored = {}, []
    if path.is_file() and path.suffix not in (".json", ".jsonl"):
        from grader.batch.gradebook import Gradebook
        with Gradebook(path, create=False) as book:
            found = book.provenance(assignment_name)
            stored = book.roster()
    people = {s: {"name": p.get("display_name"), "lms_id": p.get("lms_id")}
              for s, p in found.items()}
    for row in roster if roster is not None else stored:
        mine = people.setdefault(row["student"], {})
        mine.update({k: row.get(k) or mine.get(k) for k in ("name", "email", "lms_id", "section")})
    return people
