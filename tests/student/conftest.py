"""Fixtures for the student workflow: a release-shaped assignment folder built from tests/student/
mini (assignment.toml, checks.py) with one of the variants in mini/variants as layers.py, and
public_expected.npz recorded from the correct variant, as the release does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.checks.context import ExpectedValues, public_context, save_public_expected
from grader.checks.registry import collect_paths
from grader.checks.run import run_check
from grader.runner.client import StudentProcess

MINI = Path(__file__).with_name("mini")
VARIANTS = sorted(p.stem for p in (MINI / "variants").glob("*.py"))


def _folder(root: Path, variant: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(MINI / "assignment.toml", root / "assignment.toml")
    shutil.copy(MINI / "checks.py", root / "checks.py")
    shutil.copy(MINI / "variants" / f"{variant}.py", root / "layers.py")
    return root


@pytest.fixture(scope="session")
def public_expected(tmp_path_factory) -> Path:
    """public_expected.npz recorded by running the checks on the correct variant."""
    root = _folder(tmp_path_factory.mktemp("record"), "correct")
    specs = collect_paths([root / "checks.py"], assignment_name="mini")
    record = ExpectedValues("record")
    with StudentProcess(root) as student:
        results = [run_check(s, public_context(s.id, student, record)) for s in specs]
    assert all(r.status == "passed" for r in results), results
    path = root / "public_expected.npz"
    save_public_expected(record.values, path)
    return path


@pytest.fixture
def make_folder(tmp_path, public_expected):
    """make_folder(variant) -> an assignment folder holding that variant as layers.py."""
    def make(variant: str, name: str | None = None) -> Path:
        root = _folder(tmp_path / (name or variant), variant)
        shutil.copy(public_expected, root / "public_expected.npz")
        return root
    return make
