"""The course's policy beyond one assignment: per-student extensions and a late-day budget.

    course = course_policy(gradebook_path, assignment, late_days=3)
    rows = grade_rows(results, assignment, course=course)

- Extensions come from the roster stored in the gradebook (`grade --roster`;
  grader.batch.roster): `extension_days` for every assignment, `extension_days:<a>` for one.
- The late-day budget: each student has `late_days` free late days across the course's
  assignments, spent in due-date order (each assignment's own late days, after its
  extension, up to what is left); beyond them the assignment's penalty applies. Assignments
  without a due date spend nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.reports.deadline import LatePolicy, days_late


@dataclass(frozen=True)
class CoursePolicy:
    extensions: dict[str, float] = field(default_factory=dict)   # student -> days
    free: dict[str, int] = field(default_factory=dict)           # student -> free days left
    budget: int | None = None                                    # None: no late-day budget

    def extension(self, student: str) -> float:
        return self.extensions.get(student, 0.0)

    def free_days(self, student: str) -> int:
        if self.budget is None:
            return 0
        return self.free.get(student, self.budget)


def _roster(gradebook_path) -> list[dict]:
    path = Path(gradebook_path)
    if not path.is_file() or path.suffix in (".json", ".jsonl"):
        return []
    from grader.batch.gradebook import Gradebook
    with Gradebook(path, create=False) as book:
        return book.roster()


def extensions_for(roster: list[dict], assignment_name: str) -> dict[str, float]:
    """{student: extension days} for one assignment from roster rows."""
    out = {}
    for row in roster:
        ext = row.get("extensions") or {}
        days = float(ext.get(assignment_name, ext.get("*", 0.0)))
        if days:
            out[row["student"]] = days
    return out


def _assignment_names(gradebook_path) -> list[str]:
    import sqlite3
    with sqlite3.connect(f"file:{Path(gradebook_path)}?mode=ro", uri=True) as db:
        return [r[0] for r in db.execute("SELECT DISTINCT assignment FROM submissions")]


def course_policy(gradebook_path, assignment, *, late_days: int | None = None,
                  roster: list[dict] | None = None) -> CoursePolicy:
    """The extensions and the free late days left for `assignment` (see the module doc)."""
    roster = _roster(gradebook_path) if roster is None else roster
    extensions = extensions_for(roster, assignment.name)
    if late_days is None:
        return CoursePolicy(extensions=extensions)
    from grader.assignment import load_assignment
    from grader.reports.source import load_results

    target = LatePolicy.of(assignment).due
    free: dict[str, int] = {}
    earlier = []
    if target is not None and Path(gradebook_path).is_file():
        for name in _assignment_names(gradebook_path):
            if name == assignment.name:
                continue
            other = load_assignment(name)
            due = LatePolicy.of(other).due
            if due is not None and due < target:
                earlier.append((due, other))
    for _, other in sorted(earlier, key=lambda pair: pair[0]):
        policy, other_ext = LatePolicy.of(other), extensions_for(roster, other.name)
        for result in load_results(gradebook_path, other.name):
            left = free.get(result.student, late_days)
            late = days_late(result.submitted_at, policy.extended(other_ext.get(result.student, 0)).due)
            free[result.student] = left - min(left, late)
    return CoursePolicy(extensions=extensions, free=free, budget=late_days)
