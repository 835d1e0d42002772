"""grade_submission on the toy assignment: statuses, lone files, hidden inputs per student."""

import json

import numpy as np

from grader.checks.grade import format_table, grade_submission
from grader.checks.results import SubmissionResult
from grader.checks.scoring import total

from checks_support import TOY, RecordingRunner, copy_reference, stub_copy


def test_the_reference_scores_full_marks(tmp_path, toy, grade_kwargs):
    result = grade_submission(copy_reference("toy", tmp_path / "s"), assignment=toy, **grade_kwargs)
    assert [c.status for c in result.checks] == ["passed"] * 4
    assert total(result.checks) == (3.0, 3.0)
    assert result.status == "graded" and len(result.submission_hash) == 64


def test_stubs_score_zero_as_not_implemented(tmp_path, toy, grade_kwargs):
    result = grade_submission(stub_copy("toy", tmp_path / "s"), assignment=toy, **grade_kwargs)
    assert {c.status for c in result.checks} == {"not_implemented"}
    assert total(result.checks)[0] == 0
    assert "Implement double" in result.checks[0].message


def test_a_lone_module_file_reports_the_other_modules_tasks_missing(tmp_path, toy, grade_kwargs):
    folder = copy_reference("toy", tmp_path / "s")
    result = grade_submission(folder / "ops.py", assignment=toy, **grade_kwargs)
    by_task = {c.check_id: c.status for c in result.checks}
    assert by_task == {"toy/double_visible": "passed", "toy/double_hidden": "passed",
                       "toy/negate_visible": "missing", "toy/negate_after_due": "missing"}
    assert "more.py" in result.checks[-1].message


def test_a_missing_function_is_missing_not_failed(tmp_path, toy, grade_kwargs):
    folder = copy_reference("toy", tmp_path / "s", edits={"more": [("def negate", "def negat")]})
    result = grade_submission(folder, assignment=toy, **grade_kwargs)
    assert [c.status for c in result.checks if c.task == "toy/negate"] == ["missing"] * 2


def test_a_module_that_does_not_import_is_an_error_with_its_message(tmp_path, toy, grade_kwargs):
    folder = copy_reference("toy", tmp_path / "s", edits={"ops": [("import numpy as np",
                                                                   "import numpy as np\n1/0")]})
    result = grade_submission(folder, assignment=toy, **grade_kwargs)
    double = [c for c in result.checks if c.task == "toy/double"]
    # one message for the file (issue 10), not the error repeated under every check
    assert all(c.status == "error" and c.diagnosis == "file_error" and "ops.py" in c.message
               and "ZeroDivisionError" not in c.message for c in double)
    assert all(c.status == "passed" for c in result.checks if c.task == "toy/negate")
    assert result.message.startswith("ops.py line 2: ZeroDivisionError"), result.message


def _inputs(tmp_path, toy, runner_factory, student):
    log = []
    grade_submission(copy_reference("toy", tmp_path / student), assignment=toy, student_id=student,
                     secret="s3cret", runner_factory=lambda d: RecordingRunner(runner_factory(d), log))
    return [args[0] for _, function, args, _ in log if function]  # not the import probes


def test_hidden_inputs_differ_between_students_and_repeat_for_one(tmp_path, toy, runner_factory):
    alice = _inputs(tmp_path, toy, runner_factory, "alice")
    again = _inputs(tmp_path / "again", toy, runner_factory, "alice")
    bob = _inputs(tmp_path, toy, runner_factory, "bob")
    assert all(np.array_equal(a, b) for a, b in zip(alice, again))
    # order: double_visible, double_hidden, negate_visible, negate_after_due
    assert np.array_equal(alice[0], bob[0]) and np.array_equal(alice[2], bob[2])
    assert not np.allclose(alice[1], bob[1]) and not np.allclose(alice[3], bob[3])


def test_without_hidden_checks_only_visible_ones_run(tmp_path, toy, grade_kwargs):
    result = grade_submission(copy_reference("toy", tmp_path / "s"), assignment=toy,
                              include_hidden=False, **grade_kwargs)
    assert {c.visibility for c in result.checks} == {"visible"}


def test_result_json_round_trip_and_table(tmp_path, toy, grade_kwargs):
    folder = copy_reference("toy", tmp_path / "s", edits={"more": [("return -np.asarray(x)",
                                                                    "return np.asarray(x)")]})
    result = grade_submission(folder, assignment=toy, **grade_kwargs)
    assert SubmissionResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
    table = format_table(result)
    assert "toy/negate" in table and "FAIL" in table and "2.00/3.00" in table
    failed = next(c for c in result.checks if c.status == "failed")
    # the whole message of the first failure is printed below the table, never cut short
    assert " ".join(failed.message.split()) in " ".join(table.split())


def test_a_hanging_function_times_out_and_the_rest_is_still_graded(tmp_path, toy):
    import time

    from grader.runner import make_runner_factory
    # The call budget is calibrated in this run: the whole reference, graded at this machine's
    # load, bounds any one of its calls.
    start = time.perf_counter()
    grade_submission(copy_reference("toy", tmp_path / "ref"), assignment=toy, student_id="a",
                     secret="s", runner_factory=make_runner_factory("subprocess"))
    budget = max(0.5, 2 * (time.perf_counter() - start))
    folder = copy_reference("toy", tmp_path / "s", edits={"ops": [
        ("    return 2.0 * np.asarray(x)", "    while True:\n        pass")]})
    result = grade_submission(folder, assignment=toy, student_id="a", secret="s",
                              runner_factory=make_runner_factory("subprocess",
                                                                 call_timeout_s=budget))
    statuses = {c.check_id: c.status for c in result.checks}
    assert statuses["toy/double_visible"] == statuses["toy/double_hidden"] == "timeout"
    assert statuses["toy/negate_visible"] == statuses["toy/negate_after_due"] == "passed"


def test_a_function_that_kills_its_process_is_an_error_and_the_rest_is_graded(tmp_path, toy,
                                                                              grade_kwargs):
    folder = copy_reference("toy", tmp_path / "s", edits={"ops": [
        ("    return 2.0 * np.asarray(x)", "    import os\n    os._exit(3)")]})
    result = grade_submission(folder, assignment=toy, **grade_kwargs)
    statuses = {c.check_id: c.status for c in result.checks}
    assert statuses["toy/double_visible"] == "error"
    assert statuses["toy/negate_visible"] == "passed"
