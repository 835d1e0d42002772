"""Visible checks run without the reference: expected values recorded at release time replay
in the student's local check, and give the same verdicts as the grader."""

import pytest

from checks_support import copy_reference, stub_copy
from grader.assignment import load_assignment
from grader.checks.context import ExpectedValues, load_public_expected, save_public_expected
from grader.checks.expected import record_public_expected
from grader.checks.run import run_public_checks


@pytest.fixture(scope="module", params=["backprop", "rnn"])
def recorded(request, tmp_path_factory, runner_factory):
    assignment = load_assignment(request.param)
    path = tmp_path_factory.mktemp("release") / "public_expected.npz"
    save_public_expected(record_public_expected(assignment, runner_factory=runner_factory), path)
    return assignment, load_public_expected(path)


def _run(assignment, values, folder, runner_factory):
    runner = runner_factory(str(folder))
    try:
        return run_public_checks(assignment.check_paths(), assignment_name=assignment.name,
                                 runner=runner, expected_values=ExpectedValues("replay", values),
                                 tasks=assignment.tasks)
    finally:
        runner.close()


def test_replayed_visible_checks_pass_on_the_reference(recorded, tmp_path, runner_factory):
    assignment, values = recorded
    results = _run(assignment, values, copy_reference(assignment.name, tmp_path / "s"),
                   runner_factory)
    assert results and all(r.visibility == "visible" for r in results)
    assert [r.check_id for r in results if r.status != "passed"] == []


def test_replayed_visible_checks_report_stubs_as_not_implemented(recorded, tmp_path, runner_factory):
    assignment, values = recorded
    results = _run(assignment, values, stub_copy(assignment.name, tmp_path / "s"), runner_factory)
    assert {r.status for r in results} == {"not_implemented"}
    assert all("task " + assignment.name + "/" in r.message for r in results)


def test_replayed_visible_checks_catch_a_wrong_forward(recorded, tmp_path, runner_factory):
    assignment, values = recorded
    if assignment.name != "backprop":
        pytest.skip("one assignment suffices")
    folder = copy_reference("backprop", tmp_path / "s", edits={"layers": [
        ("    out = x.reshape(x.shape[0], -1) @ w + b\n", "    out = x.reshape(x.shape[0], -1) @ w + b + 1.0\n")]})
    results = {r.check_id: r for r in _run(assignment, values, folder, runner_factory)}
    assert results["backprop/affine_forward_values"].status == "failed"
    assert results["backprop/affine_backward_own_gradient"].status == "passed"


def test_a_replayed_visible_failure_on_repeated_indices_is_diagnosed(recorded, tmp_path,
                                                                     runner_factory):
    assignment, values = recorded
    if assignment.name != "rnn":
        pytest.skip("word_embedding lives in rnn")
    folder = copy_reference("rnn", tmp_path / "s", edits={"rnn_layers": [
        ("    np.add.at(dW, x, dout)\n", "    dW[x] = dout\n")]})
    results = {r.check_id: r for r in _run(assignment, values, folder, runner_factory)}
    own = results["rnn/word_embedding_backward_own_gradient"]
    assert own.status == "failed" and own.diagnosis == "overwrite_not_accumulate"
