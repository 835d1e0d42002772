"""Wrong layers graded through the runner: the right task loses points and the diagnosis names
the bug; a backward consistent with a wrong forward keeps half of the hidden check."""

import pytest

from checks_support import copy_reference
from grader.checks.grade import grade_submission

# (module edit, task, diagnosis expected on its failing hidden gradient check)
BUGS = {
    "transposed_dw": (
        ("    dw = x.reshape(x.shape[0], -1).T @ dout\n",
         "    dw = (x.reshape(x.shape[0], -1).T @ dout).T\n"),
        "backprop/affine_backward", "transposed"),
    "averaged_db": (
        ("    db = dout.sum(axis=0)\n", "    db = dout.mean(axis=0)\n"),
        "backprop/affine_backward", "scaled:1/N"),
    "per_example_db": (
        ("    db = dout.sum(axis=0)\n", "    db = dout\n"),
        "backprop/affine_backward", "missing_batch_sum"),
    "sigmoid_dout_times_output": (
        ("        dx = dout * out * (1.0 - out)\n", "        dx = dout * out\n"),
        "backprop/sigmoid_backward", "used_output_not_input"),
    "max_pool_overwrites": (
        ("            np.add.at(dx, (n_idx, c_idx, hs + k // pw, ws + k % pw), dout[:, :, i, j])\n",
         "            dx[n_idx, c_idx, hs + k // pw, ws + k % pw] = dout[:, :, i, j]\n"),
        "backprop/max_pool_backward_naive", "overwrite_not_accumulate"),
}


def _grade(tmp_path, edit, task, grade_kwargs):
    folder = copy_reference("backprop", tmp_path / "s", edits={"layers": [edit]})
    return grade_submission(folder, assignment="backprop", tasks=[task], **grade_kwargs)


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_a_buggy_backward_loses_points_with_its_diagnosis(tmp_path, bug, grade_kwargs):
    edit, task, code = BUGS[bug]
    result = _grade(tmp_path, edit, task, grade_kwargs)
    failed = [c for c in result.checks if c.status != "passed"]
    assert failed, "the bug went unnoticed"
    gradient = [c for c in failed if "gradient" in c.check_id]
    assert gradient and any(c.diagnosis == code for c in gradient), \
        [(c.check_id, c.diagnosis, c.message) for c in failed]
    assert sum(c.score for c in result.checks) < sum(c.max_score for c in result.checks)


def test_a_backward_consistent_with_a_wrong_forward_gets_half_the_hidden_points(tmp_path, grade_kwargs):
    folder = copy_reference("backprop", tmp_path / "s", edits={"layers": [
        ("    out = x.reshape(x.shape[0], -1) @ w + b\n",
         "    out = x.reshape(x.shape[0], -1) @ w + 2 * b\n"),
        ("    db = dout.sum(axis=0)\n", "    db = 2 * dout.sum(axis=0)\n")]})
    result = grade_submission(folder, assignment="backprop", tasks=[
        "backprop/affine_forward", "backprop/affine_backward"], **grade_kwargs)
    by_id = {c.check_id: c for c in result.checks}
    assert by_id["backprop/affine_forward_values"].status == "failed"
    assert by_id["backprop/affine_backward_own_gradient"].status == "passed"
    hidden = by_id["backprop/affine_backward_gradient_hidden"]
    assert hidden.status == "failed"
    assert hidden.diagnosis == "forward_wrong_backward_consistent"
    assert hidden.score == pytest.approx(hidden.max_score / 2)
    assert "forward" in hidden.message


def test_a_wrong_backward_with_a_right_forward_gets_no_partial_credit(tmp_path, grade_kwargs):
    edit, task, _ = BUGS["averaged_db"]
    result = _grade(tmp_path, edit, task, grade_kwargs)
    hidden = [c for c in result.checks if c.check_id == "backprop/affine_backward_gradient_hidden"][0]
    assert hidden.score == 0 and hidden.diagnosis == "scaled:1/N"
    own = [c for c in result.checks if c.check_id == "backprop/affine_backward_own_gradient"][0]
    assert own.status == "failed" and own.diagnosis == "scaled:1/N"


def test_a_right_backward_is_not_blamed_for_a_wrong_forward(tmp_path, grade_kwargs):
    folder = copy_reference("backprop", tmp_path / "s", edits={"layers": [
        ("    out = x.reshape(x.shape[0], -1) @ w + b\n",
         "    out = x.reshape(x.shape[0], -1) @ (2 * w) + b\n")]})
    result = grade_submission(folder, assignment="backprop", tasks=[
        "backprop/affine_forward", "backprop/affine_backward"], **grade_kwargs)
    by_id = {c.check_id: c for c in result.checks}
    assert by_id["backprop/affine_forward_values"].status == "failed"
    assert by_id["backprop/affine_backward_own_gradient"].status == "passed"
    assert by_id["backprop/affine_backward_gradient_hidden"].status == "passed"
