"""Fixtures for the report tests: the backprop assignment, a synthetic graded class (see
synthetic.py), and its reports written once per session."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from grader.assignment import load_assignment  # noqa: E402
from synthetic import AFTER_DUE, make_class  # noqa: E402


@pytest.fixture(scope="session")
def assignment():
    return load_assignment("backprop")


@pytest.fixture(scope="session")
def klass(assignment):
    return make_class(assignment)


@pytest.fixture(scope="session")
def results_file(tmp_path_factory, klass) -> Path:
    path = tmp_path_factory.mktemp("results") / "results.json"
    path.write_text(json.dumps([r.to_dict() for r in klass]), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def reports(tmp_path_factory, assignment, results_file) -> dict[str, Path]:
    from grader.reports import write_reports

    return write_reports(assignment=assignment, gradebook_path=results_file,
                         out_dir=tmp_path_factory.mktemp("reports"), now=AFTER_DUE)
