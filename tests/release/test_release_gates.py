"""The gates: the reference scores full marks, the stubs score zero; failures name the check."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from grader.release import gates
from grader.release.build import ReleaseError

from release_support import ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_solutions_score_full_marks_on_every_check(builds, name):
    gates.reference_gate(builds[name])


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_stubs_import_and_every_check_fails_cleanly_with_score_zero(builds, name):
    gates.stub_gate(builds[name])


def _result(*checks, status="graded"):
    return SimpleNamespace(status=status, message="", checks=[
        SimpleNamespace(check_id=c, task=c.rsplit("_", 1)[0], status=s, score=sc, max_score=1.0,
                        message=f"{c} said {s}") for c, s, sc in checks])


def test_reference_gate_fails_naming_the_check_the_reference_fails(builds, monkeypatch):
    monkeypatch.setattr(gates, "_grade", lambda build, folder: _result(
        ("demo/f_ok", "passed", 1.0), ("demo/g_hard", "failed", 0.0)))
    with pytest.raises(ReleaseError, match=r"does not score full marks[\s\S]*demo/g_hard \(demo/g\): failed"):
        gates.reference_gate(builds[ASSIGNMENTS[0]])


def test_stub_gate_fails_when_a_stub_earns_points_or_a_check_crashes(builds, monkeypatch):
    for bad in (("demo/f_values", "passed", 1.0), ("demo/f_values", "error", 0.0)):
        monkeypatch.setattr(gates, "_grade", lambda build, folder, bad=bad: _result(
            ("demo/g_values", "not_implemented", 0.0), bad))
        with pytest.raises(ReleaseError, match=r"stub gate[\s\S]*demo/f_values"):
            gates.stub_gate(builds[ASSIGNMENTS[0]])


def test_gate_with_no_checks_at_all_fails(builds, monkeypatch):
    monkeypatch.setattr(gates, "_grade", lambda build, folder: _result())
    with pytest.raises(ReleaseError):
        gates.reference_gate(builds[ASSIGNMENTS[0]])
