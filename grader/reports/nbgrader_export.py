"""nbgrader export: scores written into an nbgrader gradebook database through nbgrader's own
API (`nbgrader.api.Gradebook`), so formgrader shows them.

Mapping: the assignment becomes an nbgrader assignment with our due date; one notebook named
after the assignment; one autograded grade cell per task (max score = the task's points); each
student's latest submission an nbgrader submission with its timestamp, each task's points as the
cell's ``auto_score``, and our late penalty as the notebook's ``late_submission_penalty``.
Re-exporting updates in place.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from pathlib import Path

from grader.reports.deadline import LatePolicy, parse_timestamp
from grader.reports.grades import GradeRow


def database_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _naive_utc(text: str | None):
    # nbgrader stores naive datetimes meant as UTC
    return None if text is None else parse_timestamp(text).replace(tzinfo=None)


@contextlib.contextmanager
def _alembic_on_path():
    """nbgrader's Gradebook runs the `alembic` command; find it beside this interpreter even when
    the virtual environment is not activated (e.g. `.venv/bin/python -m grader export`)."""
    before = os.environ.get("PATH", "")
    quiet = warnings.catch_warnings()
    quiet.__enter__()
    # nbgrader's own add_submission trips SQLAlchemy autoflush warnings; they are not ours
    warnings.filterwarnings("ignore", message=".*not in session.*")
    bin_dir = os.path.dirname(sys.executable)
    os.environ["PATH"] = bin_dir + os.pathsep + before if before else bin_dir
    try:
        yield
    finally:
        os.environ["PATH"] = before
        quiet.__exit__(None, None, None)


def write_nbgrader(rows: list[GradeRow], assignment, path: str | Path) -> Path:
    """Write ``rows`` into the nbgrader gradebook at ``path`` (created if absent)."""
    from nbgrader.api import Gradebook, MissingEntry  # noqa: PLC0415 (heavy; TA side only)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    policy = LatePolicy.of(assignment)
    notebook = assignment.name
    with _alembic_on_path(), Gradebook(database_url(path)) as book:
        due = policy.due.replace(tzinfo=None) if policy.due else None
        book.update_or_create_assignment(assignment.name, duedate=due)
        book.update_or_create_notebook(notebook, assignment.name)
        maxima = rows[0].task_max if rows else {}  # the same for every row (grades.py)
        for task in assignment.tasks:
            book.update_or_create_grade_cell(task.id, notebook, assignment.name,
                                             max_score=float(maxima.get(task.id, task.points)),
                                             cell_type="code")
        for row in rows:
            book.update_or_create_student(row.student)
            try:
                submission = book.find_submission(assignment.name, row.student)
            except MissingEntry:
                submission = book.add_submission(assignment.name, row.student)
            submission.timestamp = _naive_utc(row.submitted_at)
            for task in assignment.tasks:
                grade = book.find_grade(task.id, notebook, assignment.name, row.student)
                grade.auto_score = row.computed.get(task.id, row.tasks[task.id])
                overridden = row.tasks[task.id] != grade.auto_score or any(
                    o.task == task.id and o.score is not None for o in row.overrides)
                grade.manual_score = row.tasks[task.id] if overridden else None  # a TA's override
                grade.needs_manual_grade = False
            book.find_submission_notebook(notebook, assignment.name, row.student) \
                .late_submission_penalty = row.penalty
            book.db.commit()
    return path
