"""Deadlines and late penalties: a pure function of the due date, the policy and a timestamp.

The rule (pinned by tests/reports/test_deadline.py):
- a submission at or before ``due`` is on time;
- otherwise it is late by ``ceil((submitted_at - due) / 1 day)`` days, so one second late counts
  as one day and 1.5 days late counts as two (students read "days late" as started days);
- the penalty is a fraction of the points earned: ``min(cap, per_day * days_charged)``; ``final =
  total * (1 - fraction)``, never below zero;
- a student's extension moves their due date (``LatePolicy.extended``); free late days from a
  course budget (grader.reports.latedays) are spent first: ``days_charged = days_late - free``.
Timestamps are ISO 8601; one without a zone is read as UTC; nbgrader's ``timestamp.txt`` form
(``2024-03-01 12:00:00.123456 UTC``) is accepted too. Reading them from a submission (manifest or
timestamp.txt) is the batch's job (grader.batch.discover); it stores them as `submitted_at`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from grader.batch.manifest import normalize_timestamp

DAY = timedelta(days=1)


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 or nbgrader timestamp into an aware UTC datetime; raise ValueError.
    The one parser is the batch's (`normalize_timestamp`), so grading and penalties agree."""
    return datetime.fromisoformat(normalize_timestamp(text))


@dataclass(frozen=True)
class LatePolicy:
    """When an assignment is due and what each started day late costs (fractions of the score)."""

    due: datetime | None
    per_day: float = 0.0
    cap: float = 1.0

    @classmethod
    def of(cls, assignment) -> "LatePolicy":
        """The policy of an `Assignment` (fields due, late_penalty_per_day, late_penalty_cap)."""
        due = getattr(assignment, "due", None)
        if isinstance(due, str):
            due = parse_timestamp(due)
        elif isinstance(due, datetime) and due.tzinfo is None:
            due = due.replace(tzinfo=timezone.utc)
        per_day = float(getattr(assignment, "late_penalty_per_day", 0.0) or 0.0)
        cap = getattr(assignment, "late_penalty_cap", None)
        return cls(due=due, per_day=per_day, cap=1.0 if cap is None else float(cap))

    def extended(self, days: float) -> "LatePolicy":
        """The same policy with the due date `days` later (a student's extension)."""
        if not days or self.due is None:
            return self
        return LatePolicy(due=self.due + timedelta(days=float(days)), per_day=self.per_day,
                          cap=self.cap)


@dataclass(frozen=True)
class Lateness:
    days_late: int
    fraction: float      # of the earned total, in [0, 1]
    penalty: float       # points taken off
    final: float         # total - penalty
    free_days_used: int = 0   # late days covered by the course's late-day budget


def days_late(submitted_at: datetime | str | None, due: datetime | None) -> int:
    """Started days between ``due`` and ``submitted_at``; 0 when on time or either is unknown."""
    if submitted_at is None or due is None:
        return 0
    if isinstance(submitted_at, str):
        submitted_at = parse_timestamp(submitted_at)
    late = submitted_at - due
    if late <= timedelta(0):
        return 0
    return math.ceil(late / DAY)


def apply_late_penalty(total: float, submitted_at: datetime | str | None,
                       policy: LatePolicy, *, free_days: int = 0) -> Lateness:
    """The late penalty on ``total`` points for a submission made at ``submitted_at``; up to
    ``free_days`` late days cost nothing."""
    if policy.per_day < 0 or not 0 <= policy.cap <= 1:
        raise ValueError(f"bad late policy {policy}: per_day must be >= 0 and cap in [0, 1]")
    days = days_late(submitted_at, policy.due)
    free = min(days, max(0, int(free_days)))
    fraction = min(policy.cap, policy.per_day * (days - free))
    penalty = max(0.0, total) * fraction  # unrounded: on time means final == total exactly
    return Lateness(days_late=days, fraction=fraction, penalty=penalty,
                    final=max(0.0, total - penalty), free_days_used=free)


def is_past(due: datetime | None, now: datetime | None = None) -> bool:
    """True when the due date has passed (``after_due_date`` checks may then be shown)."""
    if due is None:
        return True  # no deadline: nothing to hold back
    now = now or datetime.now(timezone.utc)
    return now >= due
