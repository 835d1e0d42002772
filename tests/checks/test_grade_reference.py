"""The real assignments: the reference scores full marks, the release stubs score 0, a lone
module file leaves the other modules' tasks missing, and the grading is fast."""

import pytest

from checks_support import RecordingRunner, copy_reference, stub_copy
from grader.assignment import load_assignment
from grader.checks.grade import grade_submission
from grader.checks.scoring import task_status, total

from cpu_time import cpu_seconds

ASSIGNMENTS = ["backprop", "rnn"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_reference_scores_full_marks_in_few_round_trips(tmp_path, name, grade_kwargs):
    runners = []

    def factory(folder):
        runners.append(RecordingRunner(grade_kwargs["runner_factory"](folder), []))
        return runners[-1]

    start = cpu_seconds()
    result = grade_submission(copy_reference(name, tmp_path / "s"), assignment=name,
                              student_id="alice", secret=grade_kwargs["secret"],
                              runner_factory=factory)
    seconds = cpu_seconds() - start   # CPU of the grader and its (reaped) child: load-proof
    failing = [(c.check_id, c.message) for c in result.checks if c.status != "passed"]
    assert not failing
    got, most = total(result.checks)
    assert got == most == load_assignment(name).points
    checks = len(result.checks)
    print(f"{name}: {checks} checks, {seconds:.2f} CPU-s, "
          f"{runners[0].round_trips} batched round trips, {len(runners[0].log)} calls")
    assert seconds < 10


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_stubs_score_zero_with_every_task_not_implemented(tmp_path, name, grade_kwargs):
    result = grade_submission(stub_copy(name, tmp_path / "s"), assignment=name, **grade_kwargs)
    assert total(result.checks)[0] == 0
    assert set(task_status(result.checks).values()) == {"not_implemented"}
    assert result.status == "graded"


def test_a_lone_layer_utils_file_reports_every_layers_task_missing(tmp_path, grade_kwargs):
    folder = copy_reference("backprop", tmp_path / "s")
    result = grade_submission(folder / "layer_utils.py", assignment="backprop", **grade_kwargs)
    assert set(task_status(result.checks).values()) == {"missing"}
    assert all("layers.py" in c.message for c in result.checks)


def test_a_lone_layers_file_is_graded_in_full(tmp_path, grade_kwargs):
    folder = copy_reference("backprop", tmp_path / "s")
    result = grade_submission(folder / "layers.py", assignment="backprop", **grade_kwargs)
    assert {c.status for c in result.checks} == {"passed"}


def _inputs(tmp_path, runner_factory, student, *, include_hidden=True):
    log = []
    grade_submission(copy_reference("backprop", tmp_path / student), assignment="backprop",
                     student_id=student, secret="course-secret", tasks=["backprop/affine_backward"],
                     include_hidden=include_hidden,
                     runner_factory=lambda d: RecordingRunner(runner_factory(d), log))
    return [args[0].tobytes() for _, function, args, _ in log if function == "affine_forward"]


def test_hidden_gradient_inputs_are_per_student_and_repeatable(tmp_path, runner_factory):
    alice = _inputs(tmp_path / "1", runner_factory, "alice")
    again = _inputs(tmp_path / "2", runner_factory, "alice")
    bob = _inputs(tmp_path / "3", runner_factory, "bob")
    public = set(_inputs(tmp_path / "4", runner_factory, "carol", include_hidden=False))
    assert alice == again
    assert public and public <= set(alice) and public <= set(bob)
    hidden_alice, hidden_bob = set(alice) - public, set(bob) - public
    assert hidden_alice and hidden_bob and not hidden_alice & hidden_bob
