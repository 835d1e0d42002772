"""The gradebook: SQLite in WAL mode, one row per (assignment, student, submission_hash).

    submissions    id, assignment, student, submission_hash, status, score, max_score, message,
                   submitted_at, started_at, duration_s, recorded_at, result_json
                   UNIQUE (assignment, student, submission_hash)
    check_results  submission_id -> submissions.id (cascade), check_id, task, status, score,
                   max_score, visibility, message, diagnosis, errors_json, thresholds_json
    provenance     submission_id -> submissions.id (cascade), student_source, time_source,
                   lms_id, display_name, flags: where the id and time came from, and the flags
                   for the TA (a manifest naming someone else, a submitter not on the roster)
    roster         student, name, email, lms_id, section, extensions_json ({assignment or "*":
                   days}): the course's students (`grade --roster`), graded or not

One submission is written in one `BEGIN IMMEDIATE` transaction (its row and every check row), so a
process killed at any instant leaves either all of it or nothing, and a restarted batch grades
exactly what is missing. Several processes may share a gradebook: writers wait on the lock
(busy_timeout), the first to record a key wins and later writers of the same key are no-ops unless
they ask to replace it (`--regrade`), which keeps the row's id (its place in time).

Used by the batch driver to write, and by reports to read: `submissions`, `latest`, `totals`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from grader.checks.results import SubmissionResult

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    assignment TEXT NOT NULL,
    student TEXT NOT NULL,
    submission_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    message TEXT NOT NULL,
    submitted_at TEXT,
    started_at TEXT NOT NULL,
    duration_s REAL NOT NULL,
    recorded_at TEXT NOT NULL,
    result_json TEXT NOT NULL,
    UNIQUE (assignment, student, submission_hash)
);
CREATE TABLE IF NOT EXISTS check_results (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    check_id TEXT NOT NULL,
    task TEXT NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    visibility TEXT NOT NULL,
    message TEXT NOT NULL,
    diagnosis TEXT,
    errors_json TEXT NOT NULL,
    thresholds_json TEXT NOT NULL,
    PRIMARY KEY (submission_id, check_id)
);
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (assignment, student);
CREATE TABLE IF NOT EXISTS provenance (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
    student_source TEXT,
    time_source TEXT,
    lms_id TEXT,
    display_name TEXT,
    flags TEXT
);
CREATE TABLE IF NOT EXISTS roster (
    student TEXT PRIMARY KEY,
    name TEXT,
    email TEXT,
    lms_id TEXT,
    section TEXT,
    extensions_json TEXT NOT NULL DEFAULT '{}'
);
"""
PROVENANCE = ("student_source", "time_source", "lms_id", "display_name", "flags")
ROSTER = ("student", "name", "email", "lms_id", "section", "extensions_json")
# The latest submission of each student: the newest submitted_at (a missing one counts as oldest),
# ties broken by the first time the submission was recorded.
_LATEST = """
SELECT * FROM (
    SELECT s.*, ROW_NUMBER() OVER (
        PARTITION BY student ORDER BY COALESCE(submitted_at, '') DESC, id DESC) AS rank
    FROM submissions s WHERE assignment = ?)
WHERE rank = 1
"""


class Gradebook:
    """A gradebook file; `Gradebook(path)` creates it (and its folder) unless create=False."""

    def __init__(self, path: str | Path, *, create: bool = True, busy_timeout_s: float = 60.0):
        self.path = Path(path)
        if not self.path.exists():
            if not create:
                raise FileNotFoundError(f"no gradebook at {self.path}")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=busy_timeout_s, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        self._retry_locked(lambda: self._db.execute("PRAGMA journal_mode = WAL"), busy_timeout_s)
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        with self._transaction():  # executescript would COMMIT: run the statements one by one
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self._db.execute(statement)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))
        version = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        if int(version) != SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: gradebook schema {version}, this grader reads "
                               f"{SCHEMA_VERSION}")

    # -------------------------------------------------------------------------- plumbing
    @staticmethod
    def _retry_locked(action, seconds: float):
        deadline = time.monotonic() + seconds
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    class _Txn:
        def __init__(self, db):
            self.db = db

        def __enter__(self):
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, kind, value, tb):
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")
            return False

    def _transaction(self) -> "Gradebook._Txn":
        return Gradebook._Txn(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Gradebook":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -------------------------------------------------------------------------- writing
    def has(self, assignment: str, student: str, submission_hash: str) -> bool:
        """True when this exact submission is already recorded."""
        row = self._db.execute(
            "SELECT 1 FROM submissions WHERE assignment=? AND student=? AND submission_hash=?",
            (assignment, student, submission_hash)).fetchone()
        return row is not None

    def record(self, result: SubmissionResult, *, score: float, max_score: float,
               replace: bool = False, provenance: dict | None = None) -> bool:
        """Store `result` with its total (score, max_score) in one transaction, with its
        `provenance` ({column of PROVENANCE: text}) when given.

        Returns False (and changes nothing) when the key is already recorded and not `replace`.
        """
        key = (result.assignment, result.student, result.submission_hash)
        row = (result.status, float(score), float(max_score), result.message, result.submitted_at,
               result.started_at, float(result.duration_s),
               datetime.now(timezone.utc).isoformat(), json.dumps(result.to_dict(), sort_keys=True))
        with self._transaction() as db:
            existing = db.execute("SELECT id FROM submissions WHERE assignment=? AND student=? "
                                  "AND submission_hash=?", key).fetchone()
            if existing is not None and not replace:
                return False
            if existing is None:
                submission_id = db.execute(
                    "INSERT INTO submissions (assignment, student, submission_hash, status, score, "
                    "max_score, message, submitted_at, started_at, duration_s, recorded_at, "
                    "result_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", key + row).lastrowid
            else:
                submission_id = existing["id"]
                db.execute("UPDATE submissions SET status=?, score=?, max_score=?, message=?, "
                           "submitted_at=?, started_at=?, duration_s=?, recorded_at=?, "
                           "result_json=? WHERE id=?", row + (submission_id,))
                db.execute("DELETE FROM check_results WHERE submission_id=?", (submission_id,))
            db.executemany(
                "INSERT INTO check_results VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(submission_id, c.check_id, c.task, c.status, c.score, c.max_score, c.visibility,
                  c.message, c.diagnosis, json.dumps(c.to_dict()["errors"]),
                  json.dumps(c.to_dict()["thresholds"])) for c in result.checks])
            if provenance is not None:
                db.execute("INSERT OR REPLACE INTO provenance VALUES (?,?,?,?,?,?)",
                           (submission_id, *(provenance.get(k) for k in PROVENANCE)))
        return True

    def set_roster(self, rows: list[dict]) -> None:
        """Replace the roster with `rows` ({column of ROSTER: value}; extensions as a dict)."""
        with self._transaction() as db:
            db.execute("DELETE FROM roster")
            db.executemany("INSERT INTO roster VALUES (?,?,?,?,?,?)", [
                (r["student"], r.get("name"), r.get("email"), r.get("lms_id"), r.get("section"),
                 json.dumps(r.get("extensions") or {}, sort_keys=True)) for r in rows])

    # -------------------------------------------------------------------------- reading
    def submissions(self, assignment: str, *, latest_only: bool = True) -> list[SubmissionResult]:
        """Results of `assignment` sorted by student: each student's latest submission, or every
        recorded submission (oldest first per student) with latest_only=False."""
        if latest_only:
            rows = self._db.execute(_LATEST + " ORDER BY student", (assignment,)).fetchall()
        else:
            rows = self._db.execute("SELECT * FROM submissions WHERE assignment=? "
                                    "ORDER BY student, id", (assignment,)).fetchall()
        return [SubmissionResult.from_dict(json.loads(r["result_json"])) for r in rows]

    def latest(self, assignment: str, student: str) -> SubmissionResult | None:
        """The student's latest submission (newest submitted_at, then most recently first
        recorded), or None."""
        row = self._db.execute(_LATEST + " AND student=?", (assignment, student)).fetchone()
        return SubmissionResult.from_dict(json.loads(row["result_json"])) if row else None

    def totals(self, assignment: str) -> dict[str, tuple[float, float]]:
        """{student: (score, max_score)} of each student's latest submission."""
        rows = self._db.execute(_LATEST + " ORDER BY student", (assignment,)).fetchall()
        return {r["student"]: (r["score"], r["max_score"]) for r in rows}

    def student_submissions(self, student: str) -> list[tuple[bool, SubmissionResult]]:
        """Every recorded submission of `student` (any assignment, oldest first per assignment)
        as (is it the latest, result)."""
        rows = self._db.execute("SELECT * FROM submissions WHERE student=? ORDER BY assignment, "
                                "id", (student,)).fetchall()
        latest = {a: self._db.execute(_LATEST + " AND student=?", (a, student)).fetchone()["id"]
                  for a in {r["assignment"] for r in rows}}
        return [(latest[r["assignment"]] == r["id"],
                 SubmissionResult.from_dict(json.loads(r["result_json"]))) for r in rows]

    def count(self, assignment: str, student: str | None = None) -> int:
        """How many submissions are recorded (for one student, or for the whole assignment)."""
        if student is None:
            query, args = "SELECT COUNT(*) FROM submissions WHERE assignment=?", (assignment,)
        else:
            query = "SELECT COUNT(*) FROM submissions WHERE assignment=? AND student=?"
            args = (assignment, student)
        return int(self._db.execute(query, args).fetchone()[0])

    def provenance(self, assignment: str) -> dict[str, dict]:
        """{student: {column of PROVENANCE: text}} of each student's latest submission."""
        rows = self._db.execute(
            "SELECT l.student, p.* FROM (" + _LATEST + ") l JOIN provenance p "
            "ON p.submission_id = l.id", (assignment,)).fetchall()
        return {r["student"]: {k: r[k] for k in PROVENANCE} for r in rows}

    def roster(self) -> list[dict]:
        """The roster rows sorted by student ({column: value}, "extensions" as a dict)."""
        rows = self._db.execute("SELECT * FROM roster ORDER BY student").fetchall()
        return [{**{k: r[k] for k in ROSTER if k != "extensions_json"},
                 "extensions": json.loads(r["extensions_json"])} for r in rows]

    def check_rows(self, assignment: str, student: str) -> list[dict]:
        """Every stored check row of the student's latest submission (as plain dicts)."""
        row = self._db.execute(_LATEST + " AND student=?", (assignment, student)).fetchone()
        if row is None:
            return []
        return [dict(r) for r in self._db.execute(
            "SELECT * FROM check_results WHERE submission_id=? ORDER BY check_id", (row["id"],))]
