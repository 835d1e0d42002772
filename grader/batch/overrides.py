"""Manual grading: a TA's per-task score overrides and comments, kept in the gradebook.

    overrides   id, assignment, student, submission_hash, task, score (NULL: a comment only),
                comment, author, created_at

An override belongs to one graded submission (its hash): a student who hands in again is graded
afresh, and the TA decides again. Rows are never updated; a later override of the same task
replaces the earlier one when applied (`current`), so the table is also the history of who changed
what and when. Applying them to a grade is `grader.reports.grades.grade_row(..., overrides=)`,
which every export goes through.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS overrides (
    id INTEGER PRIMARY KEY,
    assignment TEXT NOT NULL,
    student TEXT NOT NULL,
    submission_hash TEXT NOT NULL,
    task TEXT NOT NULL,
    score REAL,
    comment TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


class OverrideError(ValueError):
    """An override the TA asked for cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Override:
    student: str
    submission_hash: str
    task: str
    score: float | None     # None: a comment without a score change
    comment: str
    author: str
    created_at: str         # ISO 8601 UTC


def _connect(path: str | Path) -> sqlite3.Connection:
    db = sqlite3.connect(Path(path), timeout=60.0, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute(_SCHEMA)
    return db


def add_override(gradebook_path: str | Path, *, assignment, student: str, task: str,
                 score: float | None, comment: str, author: str,
                 now: datetime | None = None) -> Override:
    """Record an override of ``task`` on the student's latest graded submission.

    ``assignment``: a loaded `grader.assignment.Assignment`. Raises OverrideError when the
    gradebook, the student or the task is unknown, the score is outside [0, task points], or
    neither a score nor a comment is given.
    """
    from grader.batch.gradebook import Gradebook

    if not Path(gradebook_path).exists():
        raise OverrideError(f"no gradebook at {gradebook_path}: grade the submissions first")
    ids = {t.id: t for t in assignment.tasks}
    task_id = task if task in ids else f"{assignment.name}/{task}"
    if task_id not in ids:
        raise OverrideError(f"{assignment.name} has no task {task!r} (tasks: "
                            + ", ".join(t.id.split("/", 1)[-1] for t in assignment.tasks) + ")")
    if score is not None and not 0 <= score <= ids[task_id].points:
        raise OverrideError(f"score {score:g} is outside 0..{ids[task_id].points:g}, the points "
                            f"of {task_id}")
    if score is None and not comment.strip():
        raise OverrideError("give --score, --comment or both")
    if not author.strip():
        raise OverrideError("say who makes the override (--by NAME)")
    with Gradebook(gradebook_path, create=False) as book:
        latest = book.latest(assignment.name, student)
    if latest is None:
        raise OverrideError(f"no graded submission of {student!r} for {assignment.name}")
    made = Override(student, latest.submission_hash, task_id, score, comment.strip(),
                    author.strip(), (now or datetime.now(timezone.utc)).isoformat())
    db = _connect(gradebook_path)
    try:
        db.execute("INSERT INTO overrides (assignment, student, submission_hash, task, score, "
                   "comment, author, created_at) VALUES (?,?,?,?,?,?,?,?)",
                   (assignment.name, made.student, made.submission_hash, made.task, made.score,
                    made.comment, made.author, made.created_at))
    finally:
        db.close()
    return made


def all_overrides(gradebook_path: str | Path, assignment: str) -> list[Override]:
    """Every override of ``assignment``, oldest first ([] for a source that is not a gradebook)."""
    path = Path(gradebook_path)
    if path.is_dir() or path.suffix in (".json", ".jsonl") or not path.exists():
        return []
    db = _connect(path)
    try:
        rows = db.execute("SELECT * FROM overrides WHERE assignment=? ORDER BY id",
                          (assignment,)).fetchall()
    finally:
        db.close()
    return [Override(r["student"], r["submission_hash"], r["task"], r["score"], r["comment"],
                     r["author"], r["created_at"]) for r in rows]


def current(overrides: list[Override], student: str, submission_hash: str) -> list[Override]:
    """The overrides that apply to one submission: every comment, and per task the latest
    score override only (oldest first)."""
    mine = [o for o in overrides if o.student == student and o.submission_hash == submission_hash]
    last_score = {o.task: o for o in mine if o.score is not None}
    return [o for o in mine if o.score is None or last_score[o.task] is o]


def by_student(overrides: list[Override]) -> dict[str, list[Override]]:
    out: dict[str, list[Override]] = {}
    for override in overrides:
        out.setdefault(override.student, []).append(override)
    return out
