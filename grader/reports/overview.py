"""The class overview for TAs: grade histogram, per-task pass rates, most common diagnoses, and
the submissions that errored or timed out. One self-contained HTML page (inline CSS and SVG)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from grader.checks.results import SubmissionResult
from grader.checks.scoring import task_status
from grader.reports.diagnoses import plain_words
from grader.reports.deadline import LatePolicy, is_past
from grader.reports.grades import (GradeRow, counted_checks, grade_rows, places, points_text,
                                   task_maxima)
from grader.batch.outcome import outcome
from grader.reports.plots import histogram_svg
from grader.reports.render import render


@dataclass(frozen=True)
class TaskRate:
    id: str
    title: str
    passed: int
    attempted: int
    counts_now: bool = True  # False: every check of the task counts only after the due date

    @property
    def rate(self) -> float:
        return self.passed / self.attempted if self.attempted else 0.0


@dataclass(frozen=True)
class DiagnosisCount:
    code: str
    words: str
    count: int
    tasks: str


@dataclass(frozen=True)
class Problem:
    student: str
    status: str
    message: str
    href: str | None = None


@dataclass(frozen=True)
class StudentLine:
    row: GradeRow
    href: str | None     # the student's feedback page, relative to the overview


@dataclass(frozen=True)
class OverviewView:
    assignment: str
    title: str
    students: int
    max_total: float
    mean_final: float
    median_final: float
    histogram_svg: str
    task_rates: tuple[TaskRate, ...]
    diagnoses: tuple[DiagnosisCount, ...]
    problems: tuple[Problem, ...]
    rows: tuple[StudentLine, ...]
    graded: int = 0                # students whose checks ran (the pass rates' denominator)
    places: int = 2

    def points(self, value: float) -> str:
        return points_text(value, self.places)


def _problems(result: SubmissionResult, href: str | None) -> list[Problem]:
    problem = outcome(result)
    if problem is not None:
        return [Problem(result.student, problem.kind, problem.message, href)]
    bad = [c for c in result.checks if c.status in ("error", "timeout")]
    if not bad:
        return []
    kinds = Counter(c.status for c in bad)
    first = bad[0]
    summary = ", ".join(f"{n} check{'s' if n > 1 else ''} {k}" for k, n in sorted(kinds.items()))
    return [Problem(result.student, "graded with " + summary, f"{first.check_id}: {first.message}",
                    href)]


def overview_view(results: list[SubmissionResult], assignment, *, top: int = 10,
                  now: datetime | None = None, overrides: dict | None = None,
                  page_href=None, course=None) -> OverviewView:
    """Everything the overview page shows (TAs see hidden checks' diagnoses too).
    ``page_href(result) -> str``: the link to a student's feedback page (None: no links);
    ``course``: extensions and late days (grader.reports.latedays.CoursePolicy)."""
    rows = grade_rows(results, assignment, now=now, overrides=overrides, course=course)
    hrefs = {r.student: page_href(r) if page_href else None for r in results}
    finals = sorted(r.final for r in rows)
    n = len(finals)
    median = (finals[(n - 1) // 2] + finals[n // 2]) / 2 if n else 0.0
    due_passed = is_past(LatePolicy.of(assignment).due, now)
    rates = []
    ran = [r for r in results if outcome(r) is None]
    statuses = [task_status(counted_checks(r.checks, due_passed=due_passed)) for r in ran]
    worth_now = task_maxima(assignment, due_passed=due_passed)
    for task in assignment.tasks:
        seen = [s[task.id] for s in statuses if task.id in s]
        rates.append(TaskRate(task.id, task.title, sum(1 for s in seen if s == "passed"), n,
                              counts_now=due_passed or worth_now.get(task.id, 0.0) > 0))
    counter: Counter = Counter()
    where: dict[str, Counter] = {}
    words: dict[str, str] = {}
    for result in ran:
        for c in counted_checks(result.checks, due_passed=due_passed):
            # "in:<function>" points at another function, whose own checks carry the bug class
            if c.status != "passed" and c.diagnosis and not c.diagnosis.startswith("in:"):
                counter[c.diagnosis] += 1
                where.setdefault(c.diagnosis, Counter())[c.task] += 1
                words.setdefault(c.diagnosis, plain_words(c.diagnosis, {}, {}) or c.diagnosis)
    diagnoses = tuple(DiagnosisCount(code, words[code], count,
                                     ", ".join(t for t, _ in where[code].most_common(3)))
                      for code, count in counter.most_common(top))
    problems = tuple(p for r in results for p in _problems(r, hrefs[r.student]))
    most = max((r.max_total for r in rows), default=float(assignment.points))
    return OverviewView(
        assignment=assignment.name, title=assignment.title, students=n,
        max_total=most, mean_final=sum(finals) / n if n else 0.0,
        median_final=median, histogram_svg=histogram_svg(finals, most),
        task_rates=tuple(rates), diagnoses=diagnoses, problems=problems,
        rows=tuple(StudentLine(r, hrefs.get(r.student)) for r in rows), graded=len(ran),
        places=places(assignment))


def render_overview(results: list[SubmissionResult], assignment, *, now: datetime | None = None,
                    overrides: dict | None = None, page_href=None, course=None) -> str:
    return render("overview.html.j2", view=overview_view(
        results, assignment, now=now, overrides=overrides, page_href=page_href, course=course))
