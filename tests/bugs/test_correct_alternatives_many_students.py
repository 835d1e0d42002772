"""No flakiness for the correct alternatives: each passes every hidden check (gradient, value,
scenario and behavioural) of the tasks it implements, for 200 different student ids.

One runner per alternative; only the tasks whose functions the entry defines are run (the
rest of its submission is the reference, swept by tests/checks/test_no_flakiness.py). The
visible checks use one public seed, so test_bug_catalogue.py's single grading covers them.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bug_catalogue import build_submission, discover  # noqa: E402

from grader.assignment import load_assignment  # noqa: E402
from grader.checks.grade import run_checks  # noqa: E402
from grader.checks.registry import collect  # noqa: E402
from grader.checks.secret import DEV_SECRET  # noqa: E402
from grader.runner.client import StudentProcess  # noqa: E402

STUDENTS = 200


def _tasks_implemented(entry, assignment) -> set[str]:
    defined = {node.name for node in ast.parse(entry.path.read_text()).body
               if isinstance(node, ast.FunctionDef)}
    return {task.id for task in assignment.tasks
            if any(f.split(".", 1)[1] in defined for f in task.functions)}


@pytest.mark.slow
@pytest.mark.parametrize("entry", [e for e in discover() if e.correct], ids=lambda e: e.name)
def test_correct_alternative_passes_hidden_checks_for_200_students(entry, tmp_path):
    assignment = load_assignment(entry.assignment)
    tasks = _tasks_implemented(entry, assignment)
    assert tasks, f"{entry.name} defines no function of a task"
    specs = [s for s in collect(assignment) if s.hidden and s.task in tasks]
    reference = assignment.reference_modules()
    runner = StudentProcess(str(build_submission(entry, tmp_path / "submission")))
    failures = []
    try:
        for i in range(STUDENTS):
            # each student id stands for one submission, and the reply-byte budget is one
            # submission's (grader.runner.session.SUBMISSION_BYTES): 200 gradings of a correct
            # relu in one session return ~3 MB each and would pass 384 MiB near student 125
            runner.received_bytes = 0
            for result in run_checks(specs, runner, assignment=assignment,
                                     student_id=f"student-{i:03d}", secret=DEV_SECRET,
                                     reference=reference):
                if result.status != "passed":
                    failures.append((i, result.check_id, result.message[:200]))
    finally:
        runner.close()
    assert not failures, failures[:5]
