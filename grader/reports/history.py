"""A student's history: every recorded submission, its status and its score now.

Scores come from `grader.reports.grades.grade_row` (TA overrides applied, after_due_date checks
counted once the due date has passed), so they are the numbers the exports write for the latest
submission; an assignment that cannot be loaded shows the totals stored at grading time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class HistoryLine:
    assignment: str
    submitted_at: str | None
    submission_hash: str
    status: str
    score: str
    max_score: str
    latest: bool
    overrides: int


def history(student: str, *, gradebook_path, assignment: str | None = None,
            now: datetime | None = None) -> list[HistoryLine]:
    from grader.batch.gradebook import Gradebook
    from grader.batch.overrides import all_overrides, current
    from grader.reports.grades import grade_row, places, points_text, total_of
    from grader.usage import UsageError, resolve

    with Gradebook(gradebook_path, create=False) as book:
        found = book.student_submissions(student)
    loaded = {}
    lines = []
    for latest, result in found:
        if assignment is not None and result.assignment != assignment:
            continue
        if result.assignment not in loaded:
            try:
                loaded[result.assignment] = resolve(result.assignment)
            except UsageError:
                loaded[result.assignment] = None
        spec = loaded[result.assignment]
        overrides = all_overrides(gradebook_path, result.assignment)
        if spec is not None:
            row = grade_row(result, spec, now=now, overrides=overrides)
            digits = places(spec)
            score, most = points_text(row.final, digits), points_text(row.max_total, digits)
        else:
            got, possible = total_of(result)
            score, most = points_text(got), points_text(possible)
        lines.append(HistoryLine(result.assignment, result.submitted_at,
                                 result.submission_hash, result.status, score, most, latest,
                                 len(current(overrides, student, result.submission_hash))))
    return lines


def format_history(lines: list[HistoryLine]) -> str:
    out = []
    for line in lines:
        mark = "  latest" if line.latest else ""
        extra = f", {line.overrides} TA override(s)" if line.overrides else ""
        out.append(f"{line.assignment}  {line.submitted_at or 'time unknown':<32} "
                   f"{line.submission_hash[:12]}  {line.status:<8} {line.score} / "
                   f"{line.max_score}{extra}{mark}")
    return "\n".join(out)
