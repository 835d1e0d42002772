"""The class overview for TAs: grade histogram, per-task pass rates, most common diagnoses, and
the submissions that errored or timed out. One self-contained HTML page (inline CSS and SVG)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from grader.checks.results import SubmissionResult
from grader.checks.scoring import task_status
from grader.reports.diagnoses import plain_words
from grader.reports.grades import GradeRow, grade_rows
from grader.reports.plots import histogram_svg
from grader.reports.render import render


@dataclass(frozen=True)
class TaskRate:
    id: str
    title: str
    passed: int
    attempted: int

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
    rows: tuple[GradeRow, ...]


def _problems(result: SubmissionResult) -> list[Problem]:
    if result.status != "graded":
        return [Problem(result.student, result.status, result.message)]
    bad = [c for c in result.checks if c.status in ("error", "timeout")]
    if not bad:
        return []
    kinds = Counter(c.status for c in bad)
    first = bad[0]
    summary = ", ".join(f"{n} check{'s' if n > 1 else ''} {k}" for k, n in sorted(kinds.items()))
    return [Problem(result.student, "graded with " + summary, f"{first.check_id}: {first.message}")]


def overview_view(results: list[SubmissionResult], assignment, *, top: int = 10) -> OverviewView:
    """Everything the overview page shows (TAs see hidden checks' diagnoses too)."""
    rows = grade_rows(results, assignment)
    finals = sorted(r.final for r in rows)
    n = len(finals)
    median = (finals[(n - 1) // 2] + finals[n // 2]) / 2 if n else 0.0
    rates = []
    statuses = [task_status(r.checks) for r in results if r.status == "graded"]
    for task in assignment.tasks:
        seen = [s[task.id] for s in statuses if task.id in s]
        rates.append(TaskRate(task.id, task.title, sum(1 for s in seen if s == "passed"),
                              len(statuses)))
    counter: Counter = Counter()
    where: dict[str, Counter] = {}
    words: dict[str, str] = {}
    for result in results:
        for c in result.checks:
            # "in:<function>" points at another function, whose own checks carry the bug class
            if c.status != "passed" and c.diagnosis and not c.diagnosis.startswith("in:"):
                counter[c.diagnosis] += 1
                where.setdefault(c.diagnosis, Counter())[c.task] += 1
                words.setdefault(c.diagnosis, plain_words(c.diagnosis, {}, {}) or c.diagnosis)
    diagnoses = tuple(DiagnosisCount(code, words[code], count,
                                     ", ".join(t for t, _ in where[code].most_common(3)))
                      for code, count in counter.most_common(top))
    problems = tuple(p for r in results for p in _problems(r))
    return OverviewView(
        assignment=assignment.name, title=assignment.title, students=n,
        max_total=float(assignment.points), mean_final=sum(finals) / n if n else 0.0,
        median_final=median, histogram_svg=histogram_svg(finals, float(assignment.points)),
        task_rates=tuple(rates), diagnoses=diagnoses, problems=problems, rows=tuple(rows))


def render_overview(results: list[SubmissionResult], assignment) -> str:
    return render("overview.html.j2", view=overview_view(results, assignment))
