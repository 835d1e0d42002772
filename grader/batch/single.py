"""Grade one submission given directly (a folder, a lone module file, or one zip), no pool.

The same steps as a batch job (grader.batch.job), in this process; student code still runs only
in the runner's child.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from grader.batch.discover import single_submission
from grader.batch.job import grade_prepared, prepare, resolve_assignment
from grader.batch.unpack import Limits
from grader.batch.worker import default_grade_fn, make_factory
from grader.checks.results import SubmissionResult


def grade_one(path: str | os.PathLike, *, assignment, secret: str | bytes,
              student: str | None = None, runner_kind: str | None = "sandbox",
              runner_limits: dict | None = None, limits: Limits = Limits(),
              grade_fn: Callable[..., SubmissionResult] | None = None) -> SubmissionResult:
    """The SubmissionResult of the submission at `path` (status "error" when it cannot be
    graded). student: the id seeding hidden inputs (default: the name of the folder or zip,
    else "anonymous"; never the manifest's)."""
    spec = resolve_assignment(assignment)
    sub = single_submission(path, student=student)
    with tempfile.TemporaryDirectory(prefix="grader-one-") as scratch:
        job_dir = Path(scratch) / "job"
        job_dir.mkdir()
        prepared = prepare(sub, job_dir, assignment=spec, limits=limits)
        if isinstance(prepared, SubmissionResult):
            return prepared
        factory = make_factory(runner_kind, runner_limits)
        return grade_prepared(prepared, assignment=spec, secret=secret, runner_factory=factory,
                              grade_fn=grade_fn or default_grade_fn())
