"""A plain-text table of a SubmissionResult for the command line (one row per task)."""

from __future__ import annotations

import textwrap

from grader.checks.results import SubmissionResult
from grader.checks.scoring import score, task_status, total

MARKS = {"passed": "ok", "failed": "FAIL", "error": "ERROR", "not_implemented": "TODO",
         "missing": "MISSING", "timeout": "TIMEOUT"}


def format_table(result: SubmissionResult, *, width: int = 100) -> str:
    """Task, status, points and the bug class of a task not passed; then, below the table, each
    such task's first problem in full (the check and its message), wrapped to `width`."""
    per_task = score(result.checks)
    statuses = task_status(result.checks)
    first_problem = {}
    for check in result.checks:
        if check.status != "passed" and check.task not in first_problem:
            first_problem[check.task] = check
    name_width = max([len(t) for t in per_task] + [4])
    lines = [f"{result.assignment} / {result.student}  ({result.status}"
             + (f": {result.message}" if result.message else "") + ")",
             f"{'task':<{name_width}}  {'status':<8} {'points':>11}  diagnosis"]
    for task, (got, most) in per_task.items():
        problem = first_problem.get(task)
        label = (problem.diagnosis or "") if problem is not None else ""
        lines.append(f"{task:<{name_width}}  {MARKS[statuses[task]]:<8} "
                     f"{got:>5.2f}/{most:<5.2f}  {label}".rstrip())
    got, most = total(result.checks)
    lines.append(f"{'total':<{name_width}}  {'':<8} {got:>5.2f}/{most:<5.2f}")
    if first_problem:
        lines += ["", "problems (the first failed check of each task):"]
        for task, check in first_problem.items():
            lines += textwrap.wrap(f"{check.check_id}: {check.message}", width=width,
                                   initial_indent="- ", subsequent_indent="  ")
    return "\n".join(lines)
