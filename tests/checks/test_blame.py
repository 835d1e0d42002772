"""A check stopped by another of the student's functions than the one its task is named after
says which one (diagnosis "in:<function>"), so that even a hidden behavioural check built from
several layers tells the student where to look: its own shapes, inputs and code stay hidden."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bugs"))
from bug_catalogue import BUGS_DIR, build_submission, parse  # noqa: E402

from grader.checks.diagnose import describe  # noqa: E402
from grader.checks.grade import grade_submission  # noqa: E402
from grader.checks.run import run_check  # noqa: E402
from grader.checks.spec import CheckFailed, CheckSpec  # noqa: E402
from grader.checks.validate import expect_array  # noqa: E402
from grader.reports.view import check_view  # noqa: E402
from grader.runner.client import StudentProcess  # noqa: E402
from grader.runner.protocol import Call, StudentError  # noqa: E402


def _spec(function, visibility="hidden"):
    return CheckSpec(id="backprop/behaviour_probe", task="backprop/relu_backward", points=1.0,
                     visibility=visibility, message="probe", function=function)


def _wrong_shape(function_name):
    def check(ctx):
        expect_array(function_name, "dw", np.zeros((3, 5)), expected=np.zeros((5, 3)))
    return check


def test_a_wrong_return_of_another_function_blames_that_function():
    result = run_check(_spec(_wrong_shape("affine_backward")), ctx=None)
    assert (result.status, result.score, result.diagnosis) == ("failed", 0.0, "in:affine_backward")
    assert "affine_backward returned dw of shape (3, 5)" in result.message  # kept for the TA


def test_a_wrong_return_of_the_tasks_own_function_keeps_its_own_diagnosis():
    result = run_check(_spec(_wrong_shape("relu_backward")), ctx=None)
    assert result.diagnosis == "transposed"


def test_a_check_that_fails_on_its_own_terms_is_not_blamed_elsewhere():
    def check(ctx):
        raise CheckFailed("too few dead units", diagnosis="too_few_dead")
    assert run_check(_spec(check), ctx=None).diagnosis == "too_few_dead"


def test_a_student_error_in_another_function_blames_it_but_the_time_budget_blames_none():
    def raises(error):
        def check(ctx):
            raise error
        return check
    thrown = StudentError("not_implemented", "layers.affine_forward is not implemented yet",
                          function="affine_forward")
    result = run_check(_spec(raises(thrown)), ctx=None)
    assert (result.status, result.diagnosis) == ("not_implemented", "in:affine_forward")
    budget = StudentError("timeout", "the submission used up its total time budget", function="")
    assert run_check(_spec(raises(budget)), ctx=None).diagnosis is None


def test_the_runner_names_the_function_of_each_failed_call(tmp_path):
    (tmp_path / "layers.py").write_text("def f():\n    raise ValueError('no')\n")
    with StudentProcess(tmp_path) as runner:
        [error] = runner.call_many([Call("layers", "f")])
    assert isinstance(error, StudentError) and error.function == "f"
    again = StudentError("exception", "x", function="f")
    assert again.__reduce__()[1] == ("exception", "x", "f")


def test_the_words_name_the_function_to_fix_first():
    words = describe("in:affine_backward", "gradient")
    assert words.startswith("this check also runs your affine_backward")
    assert "fix affine_backward first" in words


def test_a_transposed_dw_costs_relu_backward_nothing_and_the_network_names_it(tmp_path):
    """The catalogue's transposed dw: the dead-ReLU behaviour (a task of relu_backward) runs on
    the grader's affine layers, so it passes (issue 10: one bug costs points once, on its own
    task); the network built from the student's own layers (a task of its own) is stopped by
    affine_backward, and its feedback says so in words, showing none of the hidden shapes."""
    entry = parse(BUGS_DIR / "affine" / "dw_transposed.py")
    folder = build_submission(entry, tmp_path / "submission")
    result = grade_submission(folder, assignment=entry.assignment, student_id="blame",
                              secret=b"blame-secret", runner_factory=StudentProcess)
    [dying] = [c for c in result.checks if c.check_id == "backprop/behaviour_dying_relus"]
    assert (dying.task, dying.status) == ("backprop/relu_backward", "passed")
    [network] = [c for c in result.checks if c.task == "backprop/network_learns"]
    assert (network.status, network.diagnosis) == ("failed", "in:affine_backward")
    view = check_view(network)
    assert "fix affine_backward first" in view.diagnosis and "shape" not in view.diagnosis
    # the task's own checks are untouched by the blame
    own = [c for c in result.checks if c.task == "backprop/relu_backward" and c is not dying]
    assert own and all(c.diagnosis is None or not c.diagnosis.startswith("in:") for c in own)
