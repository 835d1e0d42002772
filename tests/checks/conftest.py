"""Fixtures for the check framework's tests."""

from __future__ import annotations

import pytest

from checks_support import TOY
from grader.assignment import load_assignment
from grader.checks.secret import DEV_SECRET
from grader.runner import make_runner_factory


@pytest.fixture(scope="session")
def runner_factory():
    return make_runner_factory("subprocess")


@pytest.fixture
def grade_kwargs(runner_factory):
    return {"student_id": "alice", "secret": DEV_SECRET, "runner_factory": runner_factory}


@pytest.fixture
def toy():
    return load_assignment(TOY)
