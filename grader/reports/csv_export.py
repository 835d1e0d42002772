"""CSV export: one row per student, one column per task, then total, days late, late penalty
and final. Numbers are written with repr-precision so the file reads back exactly."""

from __future__ import annotations

import csv
from pathlib import Path

from grader.reports.grades import GradeRow

FIXED = ("total", "days_late", "late_penalty", "final", "status")


def header(assignment) -> list[str]:
    return ["student"] + [t.id for t in assignment.tasks] + list(FIXED)


def write_csv(rows: list[GradeRow], assignment, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header(assignment))
        for row in rows:
            writer.writerow([row.student] + [repr(row.tasks[t.id]) for t in assignment.tasks]
                            + [repr(row.total), row.days_late, repr(row.penalty),
                               repr(row.final), row.status])
    return path


def read_csv(path: str | Path) -> dict[str, dict[str, str]]:
    """{student: {column: value}}: for tools and the round-trip test."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}
