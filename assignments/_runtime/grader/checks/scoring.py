"""Scoring: pure functions of check results (no I/O, no clock, no state).

Student-safe: standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable

from grader.checks.results import CheckResult


def score(results: Iterable[CheckResult]) -> dict[str, tuple[float, float]]:
    """Points per task: {task: (score, max)} in first-seen task order."""
    out: dict[str, tuple[float, float]] = {}
    for result in results:
        got, most = out.get(result.task, (0.0, 0.0))
        out[result.task] = (got + result.score, most + result.max_score)
    return out


def total(results: Iterable[CheckResult]) -> tuple[float, float]:
    """(score, max) summed over every check."""
    per_task = score(results)
    return (sum(s for s, _ in per_task.values()), sum(m for _, m in per_task.values()))


def task_status(results: Iterable[CheckResult]) -> dict[str, str]:
    """One status per task: "passed" when every check passed, else the first non-passed status
    in order of severity (missing, not_implemented, timeout, error, failed)."""
    order = ("missing", "not_implemented", "timeout", "error", "failed")
    statuses: dict[str, set[str]] = {}
    for result in results:
        statuses.setdefault(result.task, set()).add(result.status)
    out = {}
    for task, seen in statuses.items():
        out[task] = next((s for s in order if s in seen), "passed")
    return out

