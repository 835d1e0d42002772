"""No flakiness: the reference passes every hidden gradient, value and scenario check for 200
different student ids (the visible checks use one public seed, so one run covers them).
The behavioural checks carry their own calibration sweep (tests/checks/test_behaviour_*)."""

import time

import pytest

from grader.assignment import load_assignment
from grader.checks.grade import run_checks
from grader.checks.registry import collect
from grader.checks.secret import DEV_SECRET

STUDENTS = 200


@pytest.mark.slow
def test_the_reference_passes_every_hidden_check_for_200_students(runner_factory):
    start = time.perf_counter()
    failures = []
    for name in ("backprop", "rnn"):
        assignment = load_assignment(name)
        specs = [s for s in collect(assignment) if s.hidden
                 and s.function.__module__.rsplit(".", 1)[-1] == "checks"]
        assert specs
        reference = assignment.reference_modules()
        runner = runner_factory(str(assignment.root))
        try:
            for i in range(STUDENTS):
                student = f"student-{i:03d}"
                for result in run_checks(specs, runner, assignment=assignment, student_id=student,
                                         secret=DEV_SECRET, reference=reference):
                    if result.status != "passed":
                        failures.append((student, result.check_id, result.message))
        finally:
            runner.close()
    print(f"{STUDENTS} students x hidden checks of both assignments: "
          f"{time.perf_counter() - start:.1f} s")
    assert not failures, failures[:10]
