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
from pathlib import Path

from grader.checks.results import SubmissionResult
from grader.reports.grades import grade_row
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


def results_json(result: SubmissionResult, assignment, *, policy=None) -> dict:
    """The results.json document of one submission (score = final grade after late penalty,
    under `policy`, default the assignment's `LatePolicy`)."""
    row = grade_row(result, assignment, policy)
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
            "tags": [check.task],
        })
    visible = [c for c in result.checks if c.visibility == "visible"]
    output = (f"{sum(c.score for c in visible):g} / {sum(c.max_score for c in visible):g} points "
              f"from the {len(visible)} visible check(s).")
    if len(visible) < len(result.checks):
        output += (f" {len(result.checks) - len(visible)} more check(s) and the total are shown "
                   "after the due date or once grades are published.")
    if row.days_late:
        output += f" Submitted {row.days_late} day(s) late: the late penalty applies to the total."
    if result.status != "graded":
        output += f" The submission could not be graded completely ({result.status}): {result.message}"
    return {"score": row.final, "execution_time": round(result.duration_s, 3), "output": output,
            "visibility": total_visibility(result.checks), "stdout_visibility": "hidden",
            "tests": tests}


def write_gradescope(results, assignment, out_dir: str | Path) -> dict[str, Path]:
    """Write ``out_dir/<student>/results.json`` for every result; return {student: path}."""
    from grader.reports.feedback import feedback_filename  # plots: matplotlib, TA side only
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
