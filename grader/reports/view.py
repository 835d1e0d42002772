"""What a student may see of a result: the feedback page's data, decided here, not in a template.

Rules (pinned by tests/reports/test_view.py):
- ``visible`` checks show everything: status, score, message, diagnosis in words, each measured
  relative error beside its threshold;
- ``hidden`` checks show their name, status, score and the diagnosis in words, and when they
  did not pass the one-line purpose their ``@check`` declares (written for students: what the
  check tests, e.g. "on hard configurations (batch1, flatten)"); never their message (it may
  quote inputs), measured errors, inputs, expected values or code;
- ``after_due_date`` checks are shown like hidden ones once the due date has passed, and not at
  all (not even counted in the score) before it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from grader.checks.results import CheckResult, SubmissionResult
from grader.checks.scoring import score as score_by_task
from grader.reports.deadline import LatePolicy, Lateness, apply_late_penalty, is_past
from grader.reports.diagnoses import plain_words

STATUS_WORDS = {
    "passed": "passed", "failed": "failed", "error": "raised an error",
    "not_implemented": "not implemented yet", "missing": "function missing",
    "timeout": "timed out",
}


@dataclass(frozen=True)
class ErrorView:
    name: str
    value: str
    threshold: str
    ok: bool


@dataclass(frozen=True)
class CheckView:
    name: str
    visibility: str
    status: str
    status_words: str
    passed: bool
    score: float
    max_score: float
    message: str | None           # None for hidden checks
    diagnosis: str | None         # plain words
    errors: tuple[ErrorView, ...]  # empty for hidden checks
    purpose: str | None = None    # a failed hidden check's declared one-line purpose


@dataclass(frozen=True)
class TaskView:
    id: str
    title: str
    score: float
    max_score: float
    passed: bool
    checks: tuple[CheckView, ...]


@dataclass(frozen=True)
class FeedbackView:
    assignment: str
    title: str
    student: str
    status: str
    message: str
    submitted_at: str | None
    total: float
    max_total: float
    lateness: Lateness
    tasks: tuple[TaskView, ...]
    held_back: int                 # after_due_date checks not shown yet
    plots: tuple = field(default=())
    extension_days: float = 0.0    # the student's extension (roster), already in `lateness`


def _fmt(value: float) -> str:
    return f"{value:.2e}" if value == value else "NaN"


def shown_checks(checks: list[CheckResult], *, due_passed: bool) -> list[CheckResult]:
    """The checks a student may see now (after_due_date ones only after the due date)."""
    return [c for c in checks if c.visibility != "after_due_date" or due_passed]


@functools.lru_cache(maxsize=8)
def declared_purposes(assignment) -> dict[str, str]:
    """{check id: the one-line purpose its @check declares}: words written for students, which
    name what a check tests, never its inputs (treat the mapping as read-only)."""
    from grader.assignment import Assignment
    if not isinstance(assignment, Assignment):
        return {}
    from grader.checks.registry import collect
    return {spec.id: spec.message for spec in collect(assignment)}


def check_view(check: CheckResult, purpose: str | None = None) -> CheckView:
    """What the page shows of one check; `purpose` (its declared one-line purpose) is shown
    for a hidden check that did not pass, whose own message stays hidden."""
    words = plain_words(check.diagnosis, check.errors, check.thresholds)
    public = check.visibility == "visible"
    if public and words and words in check.message:
        words = None  # the message already says it; once is enough
    errors = ()
    if public:
        errors = tuple(ErrorView(name, _fmt(value), _fmt(check.thresholds[name])
                                 if name in check.thresholds else "–",
                                 name not in check.thresholds or value <= check.thresholds[name])
                       for name, value in check.errors.items())
    return CheckView(name=check.check_id, visibility=check.visibility, status=check.status,
                     status_words=STATUS_WORDS.get(check.status, check.status),
                     passed=check.status == "passed", score=check.score,
                     max_score=check.max_score, message=check.message if public else None,
                     diagnosis=words, errors=errors,
                     purpose=purpose if not public and check.status != "passed" else None)


def feedback_view(result: SubmissionResult, assignment, *, now: datetime | None = None,
                  plots: tuple = (), course=None) -> FeedbackView:
    """The data of one student's feedback page (``assignment``: a grader.assignment.Assignment;
    ``course``: a grader.reports.latedays.CoursePolicy, for extensions and free late days)."""
    extension = course.extension(result.student) if course else 0.0
    policy = LatePolicy.of(assignment).extended(extension)
    due_passed = is_past(policy.due, now)
    shown = shown_checks(result.checks, due_passed=due_passed)
    per_task = score_by_task(shown)
    titles = {t.id: t.title for t in assignment.tasks}
    purposes = declared_purposes(assignment)
    order = [t.id for t in assignment.tasks] + [t for t in per_task if t not in titles]
    tasks = []
    for task_id in order:
        if task_id not in per_task:
            continue
        views = tuple(check_view(c, purposes.get(c.check_id)) for c in shown if c.task == task_id)
        got, most = per_task[task_id]
        tasks.append(TaskView(id=task_id, title=titles.get(task_id, task_id), score=got,
                              max_score=most, passed=all(v.passed for v in views), checks=views))
    total = sum(t.score for t in tasks)
    return FeedbackView(
        assignment=result.assignment, title=assignment.title, student=result.student,
        status=result.status, message=result.message, submitted_at=result.submitted_at,
        total=total, max_total=sum(t.max_score for t in tasks),
        lateness=apply_late_penalty(total, result.submitted_at, policy,
                                    free_days=course.free_days(result.student) if course else 0),
        tasks=tuple(tasks), held_back=len(result.checks) - len(shown), plots=tuple(plots),
        extension_days=extension)
