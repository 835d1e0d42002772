"""Gradescope export: one ``results.json`` per submission, in the autograder's published format
(top level: score, execution_time, output, visibility, stdout_visibility, tests; each test: name,
number, score, max_score, status, visibility, output).

Visibility: our ``visible`` -> "visible"; ``hidden`` -> "after_published" (students see the
test, with the same redacted output as the feedback page, once grades are published);
``after_due_date`` -> "after_due_date". A test's output never holds a hidden check's message,
measured errors, inputs or code: it is built from `grader.reports.view.check_view`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from grader.checks.results import SubmissionResult
from grader.reports.feedback import feedback_filename
from grader.reports.deadline import LatePolicy, is_past
from grader.reports.grades import counted_checks, exact, grade_row, places, points_text
from grader.batch.outcome import outcome
from grader.reports.view import CheckView, check_view, declared_purposes

VISIBILITY = {"visible": "visible", "hidden": "after_published", "after_due_date": "after_due_date"}


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


def results_json(result: SubmissionResult, assignment, *, now: datetime | None = None,
                 overrides=()) -> dict:
    """The results.json document of one submission (score = final grade after late penalty,
    the same row as the page and the CSV: after_due_date checks appear and count only once the
    due date has passed; a TA's override of a task is one more test carrying the difference)."""
    row = grade_row(result, assignment, now=now, overrides=overrides)
    due_passed = is_past(LatePolicy.of(assignment).due, now)
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
    output = (f"{points_text(row.total, digits)} / {points_text(row.max_total, digits)} "
              "points from the checks.")
    if row.days_late:
        output += (f" Submitted {row.days_late} day(s) late: -{points_text(row.penalty, digits)}, "
                   f"final {points_text(row.final, digits)}.")
    problem = outcome(result)
    if problem is not None:
        output += f" {problem.headline} {problem.message}"
    return {"score": row.final, "execution_time": round(result.duration_s, 3), "output": output,
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def write_gradescope(results, assignment, out_dir: str | Path, *, now: datetime | None = None,
                     overrides: dict | None = None) -> dict[str, Path]:
    """Write ``out_dir/<student>/results.json`` for every result; return {student: path}."""
    out_dir = Path(out_dir)
    paths = {}
    overrides = overrides or {}
    for result in results:
        folder = out_dir / feedback_filename(result).removesuffix(".html")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "results.json"
        document = results_json(result, assignment, now=now,
                                overrides=overrides.get(result.student, ()))
        path.write_text(json.dumps(document, indent=2) + "\n",
                        encoding="utf-8")
        paths[result.student] = path
    return paths
