"""A plain-text table of a SubmissionResult for the command line (one row per task)."""

from __future__ import annotations

from grader.checks.results import SubmissionResult
from grader.checks.scoring import score, task_status, total

MARKS = {"passed": "ok", "failed": "FAIL", "error": "ERROR", "not_implemented": "TODO",
         "missing": "MISSING", "timeout": "TIMEOUT"}


def format_table(result: SubmissionResult, *, width: int = 100) -> str:
    """Task, status, points, and for a task not passed the first problem in plain words."""
    per_task = score(result.checks)
    statuses = task_status(result.checks)
    first_problem = {}
    for check in result.checks:
        if check.status != "passed" and check.task not in first_problem:
            first_problem[check.task] = check
    name_width = max([len(t) for t in per_task] + [4])
    lines = [f"{result.assignment} / {result.student}  ({result.status}"
             + (f": {result.message}" if result.message else "") + ")",
             f"{'task':<{name_width}}  {'status':<8} {'points':>11}  problem"]
    for task, (got, most) in per_task.items():
        problem = first_problem.get(task)
        text = ""
        if problem is not None:
            text = problem.message + (f" [{problem.diagnosis}]" if problem.diagnosis else "")
        room = max(20, width - name_width - 25)
        if len(text) > room:
            text = text[: room - 3] + "..."
        lines.append(f"{task:<{name_width}}  {MARKS[statuses[task]]:<8} "
                     f"{got:>5.2f}/{most:<5.2f}  {text}".rstrip())
    got, most = total(result.checks)
    lines.append(f"{'total':<{name_width}}  {'':<8} {got:>5.2f}/{most:<5.2f}")
    return "\n".join(lines)
