"""Scoring is a pure function of the results."""

import copy

from hypothesis import given, strategies as st

from grader.checks.results import CheckResult
from grader.checks.scoring import score, task_status, total

STATUSES = ["passed", "failed", "error", "not_implemented", "missing", "timeout"]


@st.composite
def results(draw):
    out = []
    for i in range(draw(st.integers(0, 12))):
        most = draw(st.sampled_from([0.25, 0.5, 1.0, 2.0]))
        status = draw(st.sampled_from(STATUSES))
        got = most if status == "passed" else draw(st.sampled_from([0.0, most / 2]))
        out.append(CheckResult(check_id=f"a/c{i}", task=f"a/t{draw(st.integers(0, 3))}",
                               status=status, score=got, max_score=most, visibility="visible",
                               message="m"))
    return out


@given(results())
def test_score_is_pure_and_order_free(checks):
    before = copy.deepcopy(checks)
    first = score(checks)
    assert score(checks) == first
    assert checks == before
    reordered = score(list(reversed(checks)))
    assert {t: tuple(round(v, 9) for v in s) for t, s in reordered.items()} == \
        {t: tuple(round(v, 9) for v in s) for t, s in first.items()}


@given(results())
def test_task_scores_add_up_to_the_total(checks):
    got, most = total(checks)
    assert abs(got - sum(c.score for c in checks)) < 1e-9
    assert abs(most - sum(c.max_score for c in checks)) < 1e-9


def test_task_status_reports_the_most_severe_problem():
    def r(task, status):
        return CheckResult(check_id=f"a/{task}{status}", task=task, status=status,
                           score=1.0 if status == "passed" else 0.0, max_score=1.0,
                           visibility="visible", message="")
    statuses = task_status([r("a/x", "passed"), r("a/x", "failed"), r("a/y", "passed"),
                            r("a/z", "failed"), r("a/z", "not_implemented")])
    assert statuses == {"a/x": "failed", "a/y": "passed", "a/z": "not_implemented"}
