"""Gradescope export: one ``results.json`` per submission, in the autograder's published format
(top level: score, execution_time, output, visibility, stdout_visibility, tests; each test: name,
number, score, max_score, status, visibility, output, tags: [its task id]).

Visibility (Gradescope's documented values): our ``visible`` -> "visible"; ``hidden`` ->
"after_published" (students see the test, with the same redacted output as the feedback page,
once grades are published); ``after_due_date`` -> "after_due_date". The total would reveal the
outcome of every check it sums, so the top-level ``visibility`` (which governs the score and the
top-level output) is the most restrictive of the checks': "after_published" when any check is
hidden, else "after_due_date" when any is after-due-date, else "visible"; and the top-level
output speaks of the visible checks only. A test's output never holds a hidden check's message,
measured errors, inputs or code: it is built from `grader.reports.view.check_view`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from grader.checks.results import SubmissionResult
from grader.batch.outcome import outcome
from grader.reports.deadline import LatePolicy, is_past
from grader.reports.grades import counted_checks, exact, grade_row, places, points_text
from grader.reports.view import CheckView, check_view, declared_purposes

VISIBILITY = {"visible": "visible", "hidden": "after_published", "after_due_date": "after_due_date"}
#: Gradescope visibilities from the least to the most restrictive (of those we use).
_RESTRICTION = ("visible", "after_due_date", "after_published")


def total_visibility(checks) -> str:
    """The top-level visibility: the most restrictive of the checks' (see the module doc)."""
    levels = [_RESTRICTION.index(VISIBILITY[c.visibility]) for c in checks]
    return _RESTRICTION[max(levels, default=0)]


def _output(view: CheckView) -> str:
    lines = [f"{view.status_words}"]
    if view.message and not view.passed:
        lines.append(view.message)
    if view.purpose:
        lines.append(f"what it checks: {view.purpose}")
    if view.diagnosis:
        lines.append(view.diagnosis)
    lines += [f"{e.name}: relative error {e.value} (threshold {e.threshold})" for e in view.errors]
    return "\n".join(lines)


def results_json(result: SubmissionResult, assignment, *, policy=None,
                 now: datetime | None = None, overrides=(), course=None,
                 withheld_by_gradescope=False) -> dict:
    """The results.json document of one submission (score = final grade after late penalty,
    under `policy`, default the assignment's `LatePolicy`; the same row as the page and the CSV:
    after_due_date checks appear and count only once the due date has passed; a TA's override
    of a task is one more test carrying the difference).

    withheld_by_gradescope: the autograder's own run, at submission time. Every check is
    written, and Gradescope itself withholds each test (its visibility) and the total (the most
    restrictive visibility) until the due date or publication."""
    policy = policy or LatePolicy.of(assignment)
    due = policy.extended(course.extension(result.student) if course else 0.0).due
    due_passed = withheld_by_gradescope or is_past(due, now)
    if withheld_by_gradescope:
        now = due  # count the after-due-date checks: Gradescope holds them back
    row = grade_row(result, assignment, policy, now=now, overrides=overrides, course=course)
    digits = places(assignment)
    order = {t.id: i for i, t in enumerate(assignment.tasks, start=1)}
    seen: dict[str, int] = {}
    purposes = declared_purposes(assignment)
    tests = []
    counted = counted_checks(result.checks, due_passed=due_passed)
    for check in sorted(counted, key=lambda c: order.get(c.task, len(order) + 1)):
        seen[check.task] = seen.get(check.task, 0) + 1
        view = check_view(check, purposes.get(check.check_id))
        tests.append({
            "name": check.check_id,
            "number": f"{order.get(check.task, 0)}.{seen[check.task]}",
            "score": exact(check.score, digits),
            "max_score": exact(check.max_score, digits),
            "status": "passed" if check.status == "passed" else "failed",
            "visibility": VISIBILITY[check.visibility],
            "output": _output(view),
            "tags": [check.task],
        })
    for override in row.overrides:
        delta = row.tasks[override.task] - row.computed[override.task]
        score_words = "" if override.score is None else (
            f"score set to {points_text(override.score, digits)} (the checks gave "
            f"{points_text(row.computed[override.task], digits)}). ")
        tests.append({
            "name": f"{override.task}: TA review by {override.author}",
            "number": f"{order.get(override.task, 0)}.{seen.get(override.task, 0) + 1}",
            "score": exact(delta, digits) if override.score is not None else 0.0,
            "max_score": 0.0, "status": "passed", "visibility": "visible",
            "output": f"{override.created_at[:16]} UTC: {score_words}{override.comment}".strip(),
        })
        seen[override.task] = seen.get(override.task, 0) + 1
    # The top-level output speaks of the visible checks only: the total would reveal the others.
    visible = [c for c in counted if c.visibility == "visible"]
    output = (f"{points_text(sum(c.score for c in visible), digits)} / "
              f"{points_text(sum(c.max_score for c in visible), digits)} points "
              f"from the {len(visible)} visible check(s).")
    if len(visible) < len(counted):
        output += (f" {len(counted) - len(visible)} more check(s) and the total are shown "
                   "after the due date or once grades are published.")
    if row.days_late:
        output += f" Submitted {row.days_late} day(s) late: the late penalty applies to the total."
    problem = outcome(result)
    if problem is not None:
        output += f" {problem.headline} {problem.message}"
    return {"score": row.final, "execution_time": round(result.duration_s, 3), "output": output,
            "visibility": total_visibility(result.checks), "stdout_visibility": "hidden",
            "tests": tests}


def write_gradescope(results, assignment, out_dir: str | Path, *, now: datetime | None = None,
                     overrides: dict | None = None, course=None) -> dict[str, Path]:
    """Write ``out_dir/<student>/results.json`` for every result; return {student: path}."""
    from grader.reports.feedback import feedback_filename  # plots: matplotlib, TA side only
    out_dir = Path(out_dir)
    paths = {}
    overrides = overrides or {}
    for result in results:
        folder = out_dir / feedback_filename(result).removesuffix(".html")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "results.json"
        document = results_json(result, assignment, now=now,
                                overrides=overrides.get(result.student, ()), course=course)
        path.write_text(json.dumps(document, indent=2) + "\n",
                        encoding="utf-8")
        paths[result.student] = path
    return paths
