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
Scores, maxima, overrides and the late penalty come from `grader.reports.grades.grade_row`, the
same row every export writes, so the page and the exports agree.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from grader.checks.results import CheckResult, SubmissionResult
from grader.reports.deadline import LatePolicy, Lateness, is_past
from grader.batch.outcome import Outcome, outcome as outcome_of
from grader.reports.grades import counted_checks, grade_row, places, points_text
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
class OverrideView:
    author: str
    when: str
    score: str | None        # the TA's score, as text; None for a comment only
    computed: str            # what the checks gave
    comment: str


@dataclass(frozen=True)
class TaskView:
    id: str
    anchor: str              # the id of its section on the page
    title: str
    score: float
    max_score: float
    passed: bool
    checks: tuple[CheckView, ...]
    overrides: tuple[OverrideView, ...] = ()
    has_section: bool = False  # the page has a section (and the task table a link) for it


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
    how_total: str = ""            # one sentence: how the total is made
    places: int = 2                # decimals of the points
    overview_href: str | None = None
    outcome: Outcome | None = None  # the banner: the file did not import, was refused, ...

    def points(self, value: float) -> str:
        return points_text(value, self.places)


def _fmt(value: float) -> str:
    return f"{value:.2e}" if value == value else "NaN"


def shown_checks(checks: list[CheckResult], *, due_passed: bool) -> list[CheckResult]:
    """The checks a student may see now: exactly the ones that count (grades.counted_checks)."""
    return counted_checks(checks, due_passed=due_passed)


def task_anchor(task_id: str) -> str:
    return "task-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in task_id)


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


def _how_total(result: SubmissionResult, row, *, due_passed: bool, held_points: float,
               digits: int) -> str:
    def pts(value):
        return points_text(value, digits)
    if result.status != "graded" or outcome_of(result) is not None:
        return (f"No check could run, so every task scores {pts(row.total)} of the "
                f"{pts(row.max_total)} points.")
    words = (f"The total is the sum of the task scores; each task's score is the sum of its "
             f"visible and hidden checks ({pts(row.total)} of {pts(row.max_total)} points)")
    if held_points:
        words += (f"; {pts(held_points)} more points come from checks that count after the due "
                  "date")
    elif due_passed and any(c.visibility == "after_due_date" for c in result.checks):
        words += ", after-due-date checks included"
    if any(o.score is not None for o in row.overrides):
        words += "; a TA's score replaces the checks' score where shown"
    if row.days_late:
        words += f"; the late penalty is taken from it, leaving {pts(row.final)}"
    return words + "."


def feedback_view(result: SubmissionResult, assignment, *, now: datetime | None = None,
                  plots: tuple = (), overrides=(), overview_href: str | None = None,
                  course=None) -> FeedbackView:
    """The data of one student's feedback page (``assignment``: a grader.assignment.Assignment;
    ``overrides``: the student's grader.batch.overrides.Override list; ``course``: a
    grader.reports.latedays.CoursePolicy, for extensions and free late days)."""
    extension = course.extension(result.student) if course else 0.0
    policy = LatePolicy.of(assignment).extended(extension)
    due_passed = is_past(policy.due, now)
    row = grade_row(result, assignment, now=now, overrides=overrides, course=course)
    digits = places(assignment)
    shown = shown_checks(result.checks, due_passed=due_passed)
    problem = outcome_of(result)
    titles = {t.id: t.title for t in assignment.tasks}
    purposes = declared_purposes(assignment)
    extra = [c.task for c in shown if c.task not in titles]
    tasks = []
    for task_id in [t.id for t in assignment.tasks] + list(dict.fromkeys(extra)):
        views = tuple(check_view(c, purposes.get(c.check_id)) for c in shown if c.task == task_id)
        if not views and result.status == "graded":
            continue
        notes = tuple(OverrideView(o.author, o.created_at[:16].replace("T", " "),
                                   None if o.score is None else points_text(o.score, digits),
                                   points_text(row.computed.get(task_id, 0.0), digits), o.comment)
                      for o in row.overrides if o.task == task_id)
        score = row.tasks.get(task_id, sum(v.score for v in views))
        most = row.task_max.get(task_id, sum(v.max_score for v in views))
        passed = bool(views) and all(v.passed for v in views)
        tasks.append(TaskView(id=task_id, anchor=task_anchor(task_id),
                              title=titles.get(task_id, task_id), score=score, max_score=most,
                              passed=passed, checks=() if problem else views, overrides=notes,
                              has_section=bool(notes) or (not passed and problem is None)))
    held = [c for c in result.checks if c not in shown]
    charged = row.days_late - row.late_days_used
    lateness = Lateness(days_late=row.days_late, fraction=min(policy.cap, policy.per_day * charged),
                        penalty=row.penalty, final=row.final, free_days_used=row.late_days_used)
    return FeedbackView(
        assignment=result.assignment, title=assignment.title, student=result.student,
        status=result.status, message=result.message, submitted_at=result.submitted_at,
        total=row.total, max_total=row.max_total, lateness=lateness, tasks=tuple(tasks),
        held_back=len(held), plots=tuple(plots),
        how_total=_how_total(result, row, due_passed=due_passed,
                             held_points=sum(c.max_score for c in held), digits=digits),
        places=digits, overview_href=overview_href, outcome=problem, extension_days=extension)
