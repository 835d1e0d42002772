"""Our nbgrader export writes into the grade cells nbgrader itself created: a real course made
from dist/nbgrader by `nbgrader generate_assignment`, then `nbgrader export` shows the reference
at full marks (51/51 for backprop) and the stubs at 0 out of the same maximum."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from grader.checks.registry import collect
from grader.checks.results import CheckResult, SubmissionResult
from grader.reports.grades import grade_rows
from grader.reports.nbgrader_export import NbgraderMappingError, write_nbgrader

NAME = "backprop"


def _result(assignment, student: str, passed: bool) -> SubmissionResult:
    checks = [CheckResult(check_id=s.id, task=s.task, status="passed" if passed else "not_implemented",
                          score=s.points if passed else 0.0, max_score=s.points,
                          visibility=s.visibility, message="") for s in collect(assignment)]
    return SubmissionResult(assignment=NAME, student=student, submission_hash=student * 8,
                            checks=checks, status="graded", message="",
                            started_at="2026-12-01T00:00:00+00:00", duration_s=1.0,
                            submitted_at="2026-12-01T10:00:00+00:00")


@pytest.fixture(scope="module")
def course(released, tmp_path_factory):
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    root = tmp_path_factory.mktemp("nbcourse")
    shutil.copytree(released(NAME) / "dist" / "nbgrader", root, dirs_exist_ok=True)
    config = Config()
    config.CourseDirectory.root = str(root)
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    assert NbGraderAPI(config=config).generate_assignment(NAME, force=True, create=True)["success"]
    return root


def _nbgrader_export(root: Path) -> dict[str, dict]:
    done = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=root,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep
                               + os.environ.get("PATH", "")})
    assert done.returncode == 0, done.stdout + done.stderr
    with (root / "grades.csv").open(newline="") as handle:
        return {r["student_id"]: r for r in csv.DictReader(handle) if r["assignment"] == NAME}


def test_nbgrader_export_shows_the_reference_at_full_marks(course, builds):
    assignment = builds[NAME].assignment
    results = [_result(assignment, "ref", True), _result(assignment, "stub", False)]
    # a grading after the due date: every check counts, so the reference earns what nbgrader's
    # cells hold (their maximum is fixed; before the due date the row, and so nbgrader's score,
    # is 50.5 of the same 51)
    after_due = datetime(2026, 12, 16, tzinfo=timezone.utc)
    assert assignment.due is None or after_due > assignment.due
    rows = grade_rows(results, assignment, now=after_due)
    write_nbgrader(rows, assignment, course / "gradebook.db")
    write_nbgrader(rows, assignment, course / "gradebook.db")  # in place
    rows = _nbgrader_export(course)
    points = assignment.points
    assert (float(rows["ref"]["score"]), float(rows["ref"]["max_score"])) == (points, points)
    assert (float(rows["stub"]["score"]), float(rows["stub"]["max_score"])) == (0.0, points)
    assert points == 51


def test_a_course_without_our_grade_cells_is_refused_by_name(course, builds, tmp_path):
    from nbgrader.api import Gradebook

    from grader.reports.nbgrader_export import _alembic_on_path, database_url

    assignment = builds[NAME].assignment
    db = tmp_path / "gradebook.db"
    with _alembic_on_path(), Gradebook(database_url(db)) as book:
        book.update_or_create_assignment(NAME)
        book.update_or_create_notebook(NAME, NAME)
        book.update_or_create_grade_cell("their_cell", NAME, NAME, max_score=5.0, cell_type="code")
    with pytest.raises(NbgraderMappingError, match="test_affine_forward"):
        write_nbgrader(grade_rows([_result(assignment, "ref", True)], assignment), assignment, db)
