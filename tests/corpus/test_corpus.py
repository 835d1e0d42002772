"""Right verdicts on student-style code (issue 10): every correct function scores full marks,
every bug loses points on exactly its own task, work not done scores 0, a file that does not
import gets one message. The entries are data (tests/corpus/<assignment>/, see corpus.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import discover  # noqa: E402

from grader.assignment import load_assignment  # noqa: E402
from grader.checks.grade import grade_submission, run_checks  # noqa: E402
from grader.checks.registry import collect  # noqa: E402
from grader.checks.scoring import score  # noqa: E402
from grader.checks.secret import DEV_SECRET  # noqa: E402
from grader.runner.client import StudentProcess  # noqa: E402

ENTRIES = discover()
#: Student ids of the slow sweep for entries without a SWEEP line (the sweep of one entry per
#: assignment at SWEEP: 200 keeps the whole sweep near a minute of CPU).
DEFAULT_SWEEP = 5


def test_the_corpus_is_large_and_varied():
    assert len(ENTRIES) >= 40
    notes = " ".join(e.header.get("NOTE", "") for e in ENTRIES).lower()
    for style in ("loops", "vectorised", "keepdims", "int-keyed", "default", "cs231n",
                  "numpy-1", "partial", "python 2"):
        assert style in notes, f"no corpus entry says it is written in the style {style!r}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    cache = {}

    def grade(entry):
        if entry.name not in cache:
            folder = entry.build(tmp_path_factory.mktemp("corpus") / "submission")
            result = grade_submission(folder, assignment=entry.assignment, student_id="corpus",
                                      secret=DEV_SECRET, runner_factory=StudentProcess,
                                      with_plots=False)
            cache[entry.name] = result
        return cache[entry.name]
    return grade


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_each_task_gets_the_verdict_its_code_deserves(entry, graded):
    result = graded(entry)
    scores = score(result.checks)
    covered = entry.covered()
    wrong, zero = entry.tasks("WRONG"), entry.tasks("ZERO")
    assert wrong <= covered, f"WRONG names tasks the entry does not implement: {wrong - covered}"
    lines = []
    for task, (got, most) in sorted(scores.items()):
        checks = [c for c in result.checks if c.task == task]
        why = "; ".join(f"{c.check_id}: {c.status} {c.message[:160]}" for c in checks
                        if c.score < c.max_score)
        if task in zero or entry.file_error:
            if got != 0:
                lines.append(f"{task} must score 0, got {got}/{most}")
        elif task in wrong:
            if got >= most:
                lines.append(f"{task} has a bug but kept all {most} points")
        elif task in covered and got < most:
            lines.append(f"{task} is correct but lost points ({got}/{most}): {why}")
    assert not lines, "\n".join(lines)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.file_error], ids=lambda e: e.name)
def test_a_file_that_does_not_import_gets_one_message(entry, graded):
    result = graded(entry)
    module = f"{load_assignment(entry.assignment).modules[0]}.py"
    assert result.message.startswith(f"{module} line "), result.message
    detail = result.message.split(": ", 1)[1]
    for check in result.checks:
        assert check.status in ("error", "timeout") and check.diagnosis == "file_error"
        assert detail not in check.message and "affine_forward" not in check.message


def test_the_numpy1_names_are_named_in_the_feedback(graded):
    entry = next(e for e in ENTRIES if "numpy-1" in e.header.get("NOTE", "").lower())
    message = graded(entry).message
    for name in ("np.int", "np.float", "np.product", "np.alltrue", "reshape(newshape="):
        assert name in message, message


def test_a_keepdims_shape_passes_with_a_visible_note(graded):
    entry = next(e for e in ENTRIES if "keepdims" in e.header.get("NOTE", "").lower())
    notes = [c.message for c in graded(entry).checks if "accepted (keepdims)" in c.message]
    assert notes and all(c.status == "passed" for c in graded(entry).checks
                         if "accepted (keepdims)" in c.message)


def _hidden_value_and_gradient_checks(entry):
    assignment = load_assignment(entry.assignment)
    correct = entry.covered() - entry.tasks("WRONG") - entry.tasks("ZERO")
    return assignment, [s for s in collect(assignment) if s.hidden and s.task in correct
                        and not s.id.split("/", 1)[1].startswith("behaviour_")]


@pytest.mark.slow
@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.file_error
                                   and _hidden_value_and_gradient_checks(e)[1]],
                         ids=lambda e: e.name)
def test_correct_functions_pass_their_hidden_checks_for_many_students(entry, tmp_path):
    """One child for all ids (the checks of one file, one session): 200 ids for the entries
    marked SWEEP: 200 (one per assignment, covering most of its functions), a few for the rest;
    the behavioural checks run in the verdict test."""
    assignment, specs = _hidden_value_and_gradient_checks(entry)
    folder = entry.build(tmp_path / "submission")
    reference = assignment.reference_modules()
    present = {m for m in assignment.modules if (folder / f"{m}.py").is_file()}
    runner = StudentProcess(str(folder))
    failures = []
    try:
        for k in range(int(entry.header.get("SWEEP", DEFAULT_SWEEP))):
            for result in run_checks(specs, runner, assignment=assignment,
                                     student_id=f"student{k:03d}", secret=DEV_SECRET,
                                     reference=reference, present=present):
                if result.score < result.max_score:
                    failures.append(f"student{k:03d} {result.check_id}: {result.message[:200]}")
    finally:
        runner.close()
    assert not failures, f"{len(failures)} false failures, e.g.\n" + "\n".join(failures[:5])
