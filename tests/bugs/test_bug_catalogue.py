"""The bug catalogue, graded for real: every buggy implementation loses points on its task (with
the diagnosis where one is stated), and every correct alternative scores full marks.

Each entry (tests/bugs/<family>/<name>.py, format in bug_catalogue.py) is substituted into a copy
of the reference modules and graded once with `grade_submission` through the plain subprocess
runner, hidden checks included, with a fixed student id.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bug_catalogue import build_submission, discover  # noqa: E402

from grader.assignment import load_assignment  # noqa: E402
from grader.checks.grade import grade_submission  # noqa: E402
from grader.checks.scoring import score  # noqa: E402
from grader.runner.client import StudentProcess  # noqa: E402

ENTRIES = discover()
BUGS = [e for e in ENTRIES if not e.correct]
CORRECT = [e for e in ENTRIES if e.correct]
SECRET = b"bug-catalogue-secret"
STUDENT = "bug-catalogue"
# The layer families of the assignments (docs/ARCHITECTURE.md's layer API); each has its bugs.
FAMILIES = {"affine", "relu", "sigmoid", "norm", "dropout", "losses", "dqn", "conv", "pool",
            "rnn", "lstm", "embedding"}


def _grade(entry, tmp_path):
    folder = build_submission(entry, tmp_path / "submission")
    result = grade_submission(folder, assignment=entry.assignment, student_id=STUDENT,
                              secret=SECRET, runner_factory=StudentProcess)
    assert result.status == "graded", result.message
    lost = {task for task, (got, most) in score(result.checks).items() if got < most - 1e-9}
    return result, lost


def _failures(result, tasks) -> str:
    return "\n".join(f"  {r.check_id} [{r.status}, diagnosis={r.diagnosis}]: {r.message[:200]}"
                     for r in result.checks if r.status != "passed" and r.task in tasks)


def test_catalogue_is_large_and_covers_every_layer_family():
    assert len(BUGS) >= 40, len(BUGS)
    assert len(CORRECT) >= 10, len(CORRECT)
    assert FAMILIES <= {e.family for e in BUGS}, FAMILIES - {e.family for e in BUGS}
    tags = {tag for e in BUGS for tag in e.tags}
    assert {"forward", "test_mode"} <= tags
    assert sum("forward" in e.tags for e in BUGS) >= 5
    assert sum("test_mode" in e.tags for e in BUGS) >= 3


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_catalogue_entry_names_real_tasks(entry):
    tasks = {t.id for t in load_assignment(entry.assignment).tasks}
    assert set(entry.fails) | set(entry.may_fail) <= tasks
    assert (Path(load_assignment(entry.assignment).root) / f"{entry.module}.py").is_file()


@pytest.mark.parametrize("entry", BUGS, ids=lambda e: e.name)
def test_bug_loses_points_on_its_task_with_its_diagnosis(entry, tmp_path):
    result, lost = _grade(entry, tmp_path)
    if entry.known_gap:
        if set(entry.fails) <= lost:
            pytest.fail(f"{entry.name}: the known gap is closed, remove its KNOWN_GAP")
        pytest.xfail(f"known gap in the checks: {entry.known_gap}")
    missed = set(entry.fails) - lost
    assert not missed, f"{entry.name} ({entry.summary}) kept full marks on {sorted(missed)}"
    stray = lost - set(entry.fails) - set(entry.may_fail)
    assert not stray, (f"{entry.name} also lost points on {sorted(stray)}, not listed in "
                       f"MAY_FAIL:\n{_failures(result, stray)}")
    for task, code in entry.diagnosis.items():
        codes = [r.diagnosis for r in result.checks if r.task == task and r.status != "passed"]
        assert code in codes, (f"{entry.name}: no failed check of {task} diagnoses {code!r}; "
                               f"got {codes}:\n{_failures(result, {task})}")


@pytest.mark.parametrize("entry", CORRECT, ids=lambda e: e.name)
def test_correct_alternative_scores_full_marks(entry, tmp_path):
    result, lost = _grade(entry, tmp_path)
    assert not lost, f"{entry.name} ({entry.summary}) lost points:\n{_failures(result, lost)}"
