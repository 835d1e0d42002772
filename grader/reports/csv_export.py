"""CSV export: one row per student, one column per task, then total, days late, late penalty
and final. Numbers are exact decimals to the points' precision (`grades.points_text`): 10.2, never
10.200000000000001. `write_csv` refuses to write a header-only file: nothing graded is an error."""

from __future__ import annotations

import csv
from pathlib import Path

from grader.reports.grades import GradeRow, places, points_text

FIXED = ("total", "days_late", "late_penalty", "final", "status")


def header(assignment) -> list[str]:
    return ["student"] + [t.id for t in assignment.tasks] + list(FIXED)


class NothingToExport(ValueError):
    """The gradebook holds no graded submission of the assignment."""


def write_csv(rows: list[GradeRow], assignment, path: str | Path) -> Path:
    if not rows:
        raise NothingToExport(f"nothing graded for {assignment.name}: no CSV written "
                              "(grade the submissions first)")
    digits = places(assignment)

    def num(value: float) -> str:
        return points_text(value, digits)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header(assignment))
        for row in rows:
            writer.writerow([row.student] + [num(row.tasks[t.id]) for t in assignment.tasks]
                            + [num(row.total), row.days_late, num(row.penalty),
                               num(row.final), row.status])
    return path


def read_csv(path: str | Path) -> dict[str, dict[str, str]]:
    """{student: {column: value}}: for tools and the round-trip test."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}
