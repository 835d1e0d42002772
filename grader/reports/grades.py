"""One grade row per submission: task scores, total, late penalty, final. The one place where a
result becomes a grade; the feedback page, the CSV, the overview, Gradescope and nbgrader exports
all read it, so they agree on score and maximum at every moment.

The rule (pinned by tests/reports/test_one_score.py):
- ``after_due_date`` checks count (score and maximum) only once the due date has passed;
  before it they count nowhere;
- a task's maximum is the sum of its counted checks' maxima; a task the result holds no check
  of (a submission that could not be graded) gets the declared points of the checks that count
  now, so every student of a class has the same maximum;
- a TA's score override (grader.batch.overrides) replaces the task's score, never its maximum;
- every number is rounded to the points' precision (`places`), so 10.2 is 10.2, not
  10.200000000000001.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from grader.checks.results import CheckResult, SubmissionResult
from grader.checks.scoring import score as score_by_task
from grader.reports.deadline import LatePolicy, apply_late_penalty, is_past


@dataclass(frozen=True)
class GradeRow:
    student: str
    submission_hash: str
    status: str
    submitted_at: str | None
    tasks: dict[str, float]      # task id -> points (every task of the assignment, 0 if absent)
    total: float
    max_total: float
    days_late: int
    penalty: float
    final: float
    task_max: dict[str, float] = field(default_factory=dict)
    overrides: tuple = ()        # grader.batch.overrides.Override applied (scores and comments)
    computed: dict[str, float] = field(default_factory=dict)  # task -> score before overrides
    late_days_used: int = 0      # free late days of the course budget spent on this one
    extension_days: float = 0.0  # the student's extension of the due date


def counted_checks(checks: list[CheckResult], *, due_passed: bool) -> list[CheckResult]:
    """The checks that count (and may be shown) now: after_due_date ones only after the due date."""
    return [c for c in checks if c.visibility != "after_due_date" or due_passed]


def _decimals(value: float) -> int:
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


@functools.lru_cache(maxsize=8)
def _declared(assignment) -> tuple:
    """(task, points, visibility) of every declared check ((), when none can be collected)."""
    from grader.assignment import Assignment
    if not isinstance(assignment, Assignment):
        return ()
    from grader.checks.registry import collect
    return tuple((s.task, float(s.points), s.visibility) for s in collect(assignment))


def places(assignment) -> int:
    """Decimals to round scores to: the finest declared points, and at least 2 (partial credit)."""
    values = [t.points for t in assignment.tasks] + [p for _, p, _ in _declared(assignment)]
    return max([2] + [_decimals(v) for v in values])


def exact(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` decimals, as the float nearest that decimal."""
    return float(round(Decimal(repr(float(value))), digits))


def points_text(value: float, digits: int = 2) -> str:
    """A score as the shortest exact decimal: 10.2, 51, 48.75 (never 10.200000000000001)."""
    text = f"{exact(value, digits):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def task_maxima(assignment, *, due_passed: bool) -> dict[str, float]:
    """{task: the most it is worth now} from the declared checks, else the task's points."""
    declared = _declared(assignment)
    if not declared:
        return {t.id: float(t.points) for t in assignment.tasks}
    out = {t.id: 0.0 for t in assignment.tasks}
    for task, points, visibility in declared:
        if visibility != "after_due_date" or due_passed:
            out[task] = out.get(task, 0.0) + points
    return out


def grade_row(result: SubmissionResult, assignment, policy: LatePolicy | None = None, *,
              now: datetime | None = None, overrides=(), course=None) -> GradeRow:
    """The grade of one result at the moment ``now`` (default: the clock); every counted check
    counts (the TA's view, hidden ones included). ``overrides``: this student's
    `grader.batch.overrides.Override` list; those of another submission are ignored.
    ``course``: a `grader.reports.latedays.CoursePolicy` (extensions, free late days), or None;
    a student's extension moves their due date, for the late penalty and for when their
    after-due-date checks count."""
    from grader.batch.overrides import current

    policy = policy or LatePolicy.of(assignment)
    extension = course.extension(result.student) if course else 0.0
    free = course.free_days(result.student) if course else 0
    policy = policy.extended(extension)
    digits = places(assignment)
    due_passed = is_past(policy.due, now)
    per_task = score_by_task(counted_checks(result.checks, due_passed=due_passed))
    fallback = task_maxima(assignment, due_passed=due_passed)
    ids = [t.id for t in assignment.tasks]
    computed = {t: exact(per_task.get(t, (0.0, 0.0))[0], digits) for t in ids}
    task_max = {t: exact(per_task[t][1] if t in per_task else fallback.get(t, 0.0), digits)
                for t in ids}
    applied = tuple(current(list(overrides), result.student, result.submission_hash))
    tasks = dict(computed)
    for override in applied:
        if override.score is not None and override.task in tasks:
            tasks[override.task] = exact(override.score, digits)
    total = exact(sum(tasks.values()), digits)
    late = apply_late_penalty(total, result.submitted_at, policy, free_days=free)
    # round the final, then take the penalty as the difference, so that at the stated precision
    # final == total - penalty (rounding both on their own gave 17.438 = 34.875 - 17.438)
    final = exact(late.final, digits)
    return GradeRow(student=result.student, submission_hash=result.submission_hash,
                    status=result.status, submitted_at=result.submitted_at, tasks=tasks,
                    total=total, max_total=exact(sum(task_max.values()), digits),
                    days_late=late.days_late, penalty=exact(total - final, digits),
                    final=final, task_max=task_max, overrides=applied,
                    computed=computed, late_days_used=late.free_days_used,
                    extension_days=extension)


def grade_rows(results, assignment, *, now: datetime | None = None,
               overrides: dict | None = None, course=None) -> list[GradeRow]:
    """Rows sorted by student id; ``overrides``: {student: [Override]} (see load_overrides);
    ``course`` as for `grade_row`."""
    policy = LatePolicy.of(assignment)
    overrides = overrides or {}
    return sorted((grade_row(r, assignment, policy, now=now, overrides=overrides.get(r.student, ()),
                             course=course)
                   for r in results), key=lambda r: r.student)


def total_of(result: SubmissionResult) -> tuple[float, float]:
    """(score, max) summed over every check of ``result`` (no assignment at hand)."""
    per_task = score_by_task(result.checks)
    return (sum(s for s, _ in per_task.values()), sum(m for _, m in per_task.values()))


def load_overrides(gradebook_path, assignment) -> dict[str, list]:
    """{student: [Override]} stored in the gradebook ({} for JSON results)."""
    from grader.batch.overrides import all_overrides, by_student
    return by_student(all_overrides(gradebook_path, assignment.name))
