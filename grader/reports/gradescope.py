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
from pathlib import Path

from grader.checks.results import SubmissionResult
from grader.reports.feedback import feedback_filename
from grader.reports.grades import grade_row
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


def results_json(result: SubmissionResult, assignment) -> dict:
    """The results.json document of one submission (score = final grade after late penalty)."""
    row = grade_row(result, assignment)
    order = {t.id: i for i, t in enumerate(assignment.tasks, start=1)}
    seen: dict[str, int] = {}
    purposes = declared_purposes(assignment)
    tests = []
    for check in sorted(result.checks, key=lambda c: order.get(c.task, len(order) + 1)):
        seen[check.task] = seen.get(check.task, 0) + 1
        view = check_view(check, purposes.get(check.check_id))
        tests.append({
            "name": check.check_id,
            "number": f"{order.get(check.task, 0)}.{seen[check.task]}",
            "score": check.score,
            "max_score": check.max_score,
            "status": "passed" if check.status == "passed" else "failed",
            "visibility": VISIBILITY[check.visibility],
            "output": _output(view),
        })
    output = f"{row.total:g} / {row.max_total:g} points from the checks."
    if row.days_late:
        output += f" Submitted {row.days_late} day(s) late: -{row.penalty:g}, final {row.final:g}."
    if result.status != "graded":
        output += f" The submission could not be graded completely ({result.status}): {result.message}"
    return {"score": row.final, "execution_time": round(result.duration_s, 3), "output": output,
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def write_gradescope(results, assignment, out_dir: str | Path) -> dict[str, Path]:
    """Write ``out_dir/<student>/results.json`` for every result; return {student: path}."""
    out_dir = Path(out_dir)
    paths = {}
    for result in results:
        folder = out_dir / feedback_filename(result).removesuffix(".html")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "results.json"
        path.write_text(json.dumps(results_json(result, assignment), indent=2) + "\n",
                        encoding="utf-8")
        paths[result.student] = path
    return paths
