"""nbgrader export: scores written into an nbgrader gradebook database through nbgrader's own
API (`nbgrader.api.Gradebook`), so formgrader shows them.

Mapping: the grade cells nbgrader itself created for the assignment. The release's nbgrader
course (dist/nbgrader, `grader.release.nbgrader_course`) has one notebook named after the
assignment and one autograded test cell per task, `test_<task name>` worth the task's points;
`nbgrader generate_assignment` records those cells in the course's gradebook.db. Each task's
points go into its cell's ``auto_score``, so `nbgrader export` shows the same total and maximum
as we do (51/51 for the backprop reference), never cells beside nbgrader's own. A gradebook
without that notebook (a fresh file) gets exactly those cells, created here. A course whose
notebook lacks one of the cells is refused (NbgraderMappingError names the cells).
Each student's latest submission becomes an nbgrader submission with its timestamp and our late
penalty as the notebook's ``late_submission_penalty``. Re-exporting updates in place.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from pathlib import Path

from grader.reports.deadline import LatePolicy, parse_timestamp
from grader.reports.grades import GradeRow


class NbgraderMappingError(ValueError):
    """The nbgrader gradebook's notebook does not hold the grade cells our tasks map to."""


def grade_cell_id(task_id: str) -> str:
    """The nbgrader grade cell of a task: "backprop/affine_forward" -> "test_affine_forward"."""
    return "test_" + task_id.split("/", 1)[1]


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
        _grade_cells(book, assignment, notebook, MissingEntry)
        for row in rows:
            book.update_or_create_student(row.student)
            try:
                submission = book.find_submission(assignment.name, row.student)
            except MissingEntry:
                submission = book.add_submission(assignment.name, row.student)
            submission.timestamp = _naive_utc(row.submitted_at)
            for task in assignment.tasks:
                grade = book.find_grade(grade_cell_id(task.id), notebook, assignment.name,
                                        row.student)
                grade.auto_score = row.computed.get(task.id, row.tasks[task.id])
                overridden = row.tasks[task.id] != grade.auto_score or any(
                    o.task == task.id and o.score is not None for o in row.overrides)
                grade.manual_score = row.tasks[task.id] if overridden else None  # a TA's override
                grade.needs_manual_grade = False
            book.find_submission_notebook(notebook, assignment.name, row.student) \
                .late_submission_penalty = row.penalty
            book.db.commit()
    return path


def _grade_cells(book, assignment, notebook: str, missing_entry) -> None:
    """Use the notebook's grade cells (made by `nbgrader generate_assignment`); create them only
    in a gradebook that has no such notebook yet."""
    wanted = {grade_cell_id(t.id): float(t.points) for t in assignment.tasks}
    try:
        existing = {c.name: c for c in book.find_notebook(notebook, assignment.name).grade_cells}
    except missing_entry:
        existing = None
    if existing:
        absent = sorted(set(wanted) - set(existing))
        if absent:
            raise NbgraderMappingError(
                f"the nbgrader notebook {assignment.name}/{notebook} has no grade cell "
                f"{', '.join(absent)} (it has {', '.join(sorted(existing))}): generate the "
                "course from the release's dist/nbgrader")
        return
    book.update_or_create_notebook(notebook, assignment.name)
    for name, points in wanted.items():
        book.update_or_create_grade_cell(name, notebook, assignment.name, max_score=points,
                                         cell_type="code")
