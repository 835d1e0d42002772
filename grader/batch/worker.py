"""The pool worker: one process grading one submission at a time.

Order matters in `init_worker`: the runner factory is made first (a sandbox may start the
process that forks student children here), and only then are the checks, references and secret
loaded, so whatever forks student code never holds them. The worker asks the kernel to kill it
when the batch process dies (PR_SET_PDEATHSIG), so a SIGKILLed batch leaves no orphans.
"""

from __future__ import annotations

import os
import time
from typing import Any, Callable

from grader.batch.job import Job, grade_prepared
from grader.checks.results import SubmissionResult
from grader.runner.child import die_with_parent

_STATE: dict[str, Any] = {}


def make_factory(runner_kind: str | None, runner_limits: dict | None):
    """The runner factory for `runner_kind` ("sandbox" | "subprocess"), or None for no runner
    (only meaningful with an injected grade function that needs none)."""
    if runner_kind is None:
        return None
    from grader.runner import make_runner_factory
    return make_runner_factory(kind=runner_kind, **(runner_limits or {}))


def default_grade_fn() -> Callable[..., SubmissionResult]:
    from grader.checks.grade import grade_submission
    return grade_submission


def init_worker(assignment, secret, runner_kind, runner_limits, grade_fn) -> None:
    die_with_parent()
    runner_factory = make_factory(runner_kind, runner_limits)
    _STATE.update(assignment=assignment, secret=secret, runner_factory=runner_factory,
                  grade_fn=grade_fn or default_grade_fn())


def started_marker(job: Job) -> str:
    """The file beside a job's folder that holds the time.monotonic() its grading started at
    (the driver's backstop counts from then, not from when a worker was still starting)."""
    return f"{job.job_dir}.started"


def grade_job(job: Job) -> SubmissionResult:
    """Run in a worker: grade one prepared submission."""
    marker = started_marker(job)
    with open(marker + ".tmp", "w") as handle:
        handle.write(repr(time.monotonic()))
    os.replace(marker + ".tmp", marker)
    return grade_prepared(job, **_STATE)
