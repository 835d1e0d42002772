"""Reference values shared across submissions (ExpectedValues("memo")), and the lazy
reversed-input gradients of hidden checks: the same verdicts, less reference work."""

from __future__ import annotations

import numpy as np

from grader.assignment import load_assignment
from grader.checks.context import Context, ExpectedValues
from grader.checks.grade import run_checks
from grader.checks.layer_calls import Lazy
from grader.checks.registry import collect
from grader.checks.secret import DEV_SECRET
from grader.runner.client import StudentProcess


def _context(values, seed, check_id="backprop/x_hidden"):
    return Context(check_id=check_id, student=None, rng=np.random.default_rng(seed),
                   expected_values=values, hidden=True)


def test_memo_computes_a_value_once_per_inputs_and_hands_out_copies():
    memo, calls = ExpectedValues("memo"), []

    def thunk():
        calls.append(1)
        return (np.arange(3.0), [np.ones(2)])

    first = _context(memo, 7).expected("grads", thunk)
    first[0][:] = -1.0
    first[1][0][:] = -1.0
    again = _context(memo, 7).expected("grads", thunk)
    assert len(calls) == 1
    assert again[0].tolist() == [0.0, 1.0, 2.0] and again[1][0].tolist() == [1.0, 1.0]


def test_memo_never_shares_a_value_between_other_inputs():
    memo, calls = ExpectedValues("memo"), []
    thunk = lambda: calls.append(1) or 1.0  # noqa: E731
    _context(memo, 7).expected("out", thunk)
    _context(memo, 8).expected("out", thunk)                      # another student's seed
    drawn = _context(memo, 7)
    drawn.rng.standard_normal(3)                                  # inputs drawn differently
    drawn.expected("out", thunk)
    _context(memo, 7, check_id="backprop/y_hidden").expected("out", thunk)
    assert len(calls) == 4


def test_lazy_computes_an_item_only_when_asked_and_once():
    calls = []
    lazy = Lazy([lambda: calls.append(0) or "a", lambda: calls.append(1) or "b"])
    assert len(lazy) == 2 and calls == []
    assert lazy[1] == "b" and lazy[-1] == "b" and calls == [1]
    assert list(lazy) == ["a", "b"] and calls == [1, 0]


def test_grading_with_a_shared_memo_gives_the_same_results(tmp_path):
    """Two student ids, the reference graded twice each: with one memo for all four runs, the
    results equal those computed afresh (including a failing submission's diagnosis)."""
    assignment = load_assignment("backprop")
    specs = [s for s in collect(assignment) if s.hidden and s.task in (
        "backprop/affine_backward", "backprop/relu_backward")]
    reference = assignment.reference_modules()
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    source = (assignment.root / "layers.py").read_text()
    (wrong / "layers.py").write_text(source + "\n\n_right = relu_backward\n\n\ndef relu_backward("
                                     "dout, cache):\n    return 2.0 * _right(dout, cache)\n")
    memo = ExpectedValues("memo")
    for folder in (assignment.root, wrong):
        runner = StudentProcess(str(folder))
        try:
            for student in ("alice", "bob"):
                kwargs = dict(assignment=assignment, student_id=student, secret=DEV_SECRET,
                              reference=reference)
                fresh = run_checks(specs, runner, **kwargs)
                shared = run_checks(specs, runner, expected_values=memo, **kwargs)
                assert [r.to_dict() for r in shared] == [r.to_dict() for r in fresh]
                failed = {r.task for r in shared if r.score < r.max_score}
                assert failed == (set() if folder == assignment.root
                                  else {"backprop/relu_backward"}), failed
        finally:
            runner.close()
    assert memo.values
