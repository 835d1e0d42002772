"""One grade row per submission: task scores, total, late penalty, final. The one place where a
result becomes a grade; the CSV, the overview, Gradescope and nbgrader exports all read it."""

from __future__ import annotations

from dataclasses import dataclass

from grader.checks.results import SubmissionResult
from grader.checks.scoring import score as score_by_task
from grader.reports.deadline import LatePolicy, apply_late_penalty


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
    late_days_used: int = 0      # free late days of the course budget spent on this one
    extension_days: float = 0.0  # the student's extension of the due date


def grade_row(result: SubmissionResult, assignment, policy: LatePolicy | None = None, *,
              course=None) -> GradeRow:
    """The grade of one result; every check counts (the TA's view, hidden ones included).
    course: a `grader.reports.latedays.CoursePolicy` (extensions, free late days), or None."""
    policy = policy or LatePolicy.of(assignment)
    extension = course.extension(result.student) if course else 0.0
    free = course.free_days(result.student) if course else 0
    policy = policy.extended(extension)
    per_task = score_by_task(result.checks)
    tasks = {t.id: round(per_task.get(t.id, (0.0, 0.0))[0], 6) for t in assignment.tasks}
    total = round(sum(tasks.values()), 6)
    late = apply_late_penalty(total, result.submitted_at, policy, free_days=free)
    return GradeRow(student=result.student, submission_hash=result.submission_hash,
                    status=result.status, submitted_at=result.submitted_at, tasks=tasks,
                    total=total, max_total=float(assignment.points), days_late=late.days_late,
                    penalty=late.penalty, final=late.final, late_days_used=late.free_days_used,
                    extension_days=extension)


def grade_rows(results, assignment, *, course=None) -> list[GradeRow]:
    """Rows sorted by student id (see `grade_row` for `course`)."""
    policy = LatePolicy.of(assignment)
    return sorted((grade_row(r, assignment, policy, course=course) for r in results),
                  key=lambda r: r.student)
