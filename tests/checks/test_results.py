"""Results round-trip through JSON exactly, and reject impossible values."""

import json
import math

import pytest

from grader.checks.results import CheckResult, SubmissionResult


def _check(**overrides):
    values = dict(check_id="backprop/affine_backward_own_gradient", task="backprop/affine_backward",
                  status="failed", score=0.5, max_score=1.0, visibility="hidden",
                  message="affine_backward's dw does not match", diagnosis="transposed",
                  errors={"dw": 0.73, "dx": 3e-9}, thresholds={"dw": 1e-7, "dx": 1e-7})
    values.update(overrides)
    return CheckResult(**values)


def test_submission_result_survives_a_json_round_trip():
    result = SubmissionResult(assignment="backprop", student="alice", submission_hash="ab" * 32,
                              checks=[_check(), _check(check_id="backprop/x", status="passed",
                                                       score=1.0, diagnosis=None, errors={})],
                              status="graded", message="", started_at="2026-11-21T21:00:00+00:00",
                              duration_s=0.25, submitted_at=None)
    text = json.dumps(result.to_dict())
    assert SubmissionResult.from_dict(json.loads(text)) == result


def test_non_finite_errors_round_trip_through_strict_json():
    result = _check(errors={"dx": math.nan, "dw": math.inf})
    text = json.dumps(result.to_dict(), allow_nan=False)
    back = CheckResult.from_dict(json.loads(text))
    assert math.isnan(back.errors["dx"]) and back.errors["dw"] == math.inf


@pytest.mark.parametrize("overrides", [{"status": "great"}, {"score": 2.0}, {"score": -1.0}])
def test_impossible_check_results_are_refused(overrides):
    with pytest.raises(ValueError):
        _check(**overrides)


def test_unknown_fields_are_refused_on_load():
    data = _check().to_dict()
    data["grade"] = "A"
    with pytest.raises(ValueError, match="grade"):
        CheckResult.from_dict(data)
