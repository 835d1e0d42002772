"""Late penalties: a pure function of due date, policy and timestamp (started days, capped)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from grader.reports.deadline import (LatePolicy, apply_late_penalty, days_late, is_past,
                                     parse_timestamp)

DUE = datetime(2026, 12, 15, 23, 59, tzinfo=timezone.utc)
POLICY = LatePolicy(due=DUE, per_day=0.1, cap=0.5)


@pytest.mark.parametrize("offset, days", [
    (timedelta(days=-3), 0),
    (timedelta(0), 0),                       # exactly at the deadline is on time
    (timedelta(seconds=1), 1),               # one second late is one started day
    (timedelta(days=1), 1),
    (timedelta(days=1, hours=12), 2),        # 1.5 days late counts as 2 days
    (timedelta(days=30), 30),
])
def test_days_late_counts_started_days(offset, days):
    assert days_late(DUE + offset, DUE) == days


def test_on_time_keeps_every_point():
    late = apply_late_penalty(40.0, DUE - timedelta(hours=1), POLICY)
    assert (late.days_late, late.penalty, late.final) == (0, 0.0, 40.0)


def test_one_and_a_half_days_late_costs_two_days():
    late = apply_late_penalty(40.0, DUE + timedelta(days=1.5), POLICY)
    assert late.days_late == 2 and late.fraction == pytest.approx(0.2)
    assert late.penalty == pytest.approx(8.0) and late.final == pytest.approx(32.0)


def test_penalty_stops_at_the_cap():
    late = apply_late_penalty(40.0, DUE + timedelta(days=9), POLICY)
    assert late.fraction == 0.5 and late.final == pytest.approx(20.0)


def test_no_due_date_or_no_timestamp_means_no_penalty():
    assert apply_late_penalty(10.0, DUE + timedelta(days=3), LatePolicy(due=None, per_day=0.1)).final == 10.0
    assert apply_late_penalty(10.0, None, POLICY).final == 10.0


def test_policy_is_read_from_the_assignment_metadata(assignment_meta=None):
    from grader.assignment import load_assignment

    policy = LatePolicy.of(load_assignment("backprop"))
    assert policy.due == DUE and policy.per_day == 0.1 and policy.cap == 0.5


@pytest.mark.parametrize("text", [
    "2026-12-16T10:00:00+00:00", "2026-12-16T10:00:00Z", "2026-12-16 10:00:00",
    "2026-12-16 10:00:00.000000 UTC", "2026-12-16T11:00:00+01:00",
])
def test_timestamps_in_iso_and_nbgrader_forms_parse_to_utc(text):
    assert parse_timestamp(text) == datetime(2026, 12, 16, 10, tzinfo=timezone.utc)


def test_after_due_date_is_past_only_once_the_due_date_is_reached():
    assert not is_past(DUE, DUE - timedelta(seconds=1))
    assert is_past(DUE, DUE)


@given(st.floats(0, 100), st.integers(0, 40 * 86400), st.integers(0, 40 * 86400))
def test_penalty_grows_with_lateness_and_never_passes_the_cap(total, a, b):
    early, late = sorted((a, b))
    p_early = apply_late_penalty(total, DUE + timedelta(seconds=early), POLICY)
    p_late = apply_late_penalty(total, DUE + timedelta(seconds=late), POLICY)
    assert p_early.fraction <= p_late.fraction <= POLICY.cap
    assert 0 <= p_late.final <= total + 1e-9
