"""The issue's acceptance test: delete one check from a copy of an assignment and the report
shows new survivors on exactly that task; restoring the check kills them.

On a copy of solutions/backprop, the check that feeds softmax_loss scores around +-1000
(`extreme_inputs_check(ctx, "softmax_loss")`) is the only one that tells a shift by the row
maximum from a shift by its negative: on ordinary scores both give the same loss and gradient,
at +-1000 one overflows. The mutants run are bounded: those on softmax_loss's shift line, and
relu_backward's (a task the deletion does not touch).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.mutants.run import run_mutants

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions" / "backprop"
TASKS = ["backprop/softmax_loss", "backprop/relu_backward"]
DELETED = 'extreme_inputs_check(ctx, "softmax_loss")'


def _select(mutant) -> bool:
    line = mutant.source.splitlines()[mutant.line - 1]
    return mutant.task == "backprop/relu_backward" or ".max(" in line


def _copy(tmp_path: Path, *, delete_check: bool) -> Path:
    root = tmp_path / ("deleted" if delete_check else "restored") / "backprop"
    shutil.copytree(SOLUTIONS, root, ignore=shutil.ignore_patterns("__pycache__"))
    if delete_check:
        checks = (root / "checks.py").read_text()
        parts = re.split(r"\n(?=@check\()", checks)
        kept = [p for p in parts if DELETED not in p]
        assert len(kept) == len(parts) - 1, "expected exactly one large-scores check"
        (root / "checks.py").write_text("\n".join(kept))
    return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deleted-check")
    out = {}
    for deleted in (True, False):
        assignment = load_assignment(_copy(tmp, delete_check=deleted))
        out[deleted] = run_mutants(assignment, tasks=TASKS, select=_select, workers=2,
                                   progress=False)
    return out


def test_deleting_the_check_leaves_survivors_on_exactly_its_task(runs):
    deleted = runs[True]
    survivors = deleted.survivors()
    assert survivors, "no mutant of the shift survived without the large-scores check"
    assert {o.mutant.task for o in survivors} == {"backprop/softmax_loss"}
    for outcome in survivors:
        assert outcome.ran_on and "backprop/softmax_loss_large_scores_hidden" not in outcome.ran_on
        assert outcome.mutant.diff.count("\n-") >= 1
    relu = deleted.by_task()["backprop/relu_backward"]
    assert relu[0] == relu[1]  # the untouched task keeps every non-equivalent mutant killed


def test_restoring_the_check_kills_them(runs):
    deleted, restored = runs[True], runs[False]
    by_id = {o.mutant.id: o for o in restored.outcomes}
    for outcome in deleted.survivors():
        again = by_id[outcome.mutant.id]
        assert again.verdict == "killed"
        assert again.killed_by == ["backprop/softmax_loss_large_scores_hidden"], again.killed_by
    assert not restored.survivors()
