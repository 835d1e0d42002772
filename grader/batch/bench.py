"""Seconds per submission through the batch grader (the batch half of `make bench`).

    seconds_per_submission(submissions_dir, assignment, workers) -> dict

Grades the whole folder once into a throwaway gradebook (so nothing is skipped) with the real
grade_submission, the chosen runner and the local pool or a Dask cluster, and reports the wall clock per submission: discovery,
unpacking, pool start-up, grading and gradebook writes included, as a TA would see it.
"""

from __future__ import annotations

import os
import platform
import tempfile
import time

from grader.batch.driver import grade_batch
from grader.batch.job import resolve_assignment


def seconds_per_submission(submissions_dir: str | os.PathLike, assignment, workers: int | None = None,
                           *, runner_kind: str = "sandbox", secret: str | bytes | None = None,
                           scheduler: str | None = None) -> dict:
    """{"submissions", "workers", "runner", "scheduler", "wall_s", "seconds_per_submission",
    "submissions_per_minute", "graded", "errors", "timeouts", "machine"} for one batch run.
    scheduler: grade on Dask (grade_batch's `scheduler`; "local" includes starting the
    LocalCluster in the wall clock) instead of the local pool."""
    from grader.checks.secret import DEV_SECRET
    spec = resolve_assignment(assignment)
    workers = max(1, int(workers or os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="grader-bench-") as scratch:
        start = time.perf_counter()
        summary = grade_batch(submissions_dir, assignment=spec, secret=secret or DEV_SECRET,
                              gradebook_path=os.path.join(scratch, "gradebook.sqlite"),
                              workers=workers, runner_kind=runner_kind, progress=False,
                              scheduler=scheduler)
        wall = time.perf_counter() - start
    if summary.internal_errors:
        raise RuntimeError(f"the benchmark batch hit {summary.internal_errors} internal errors: "
                           + "; ".join(summary.problems[:3]))
    count = summary.discovered
    return {
        "submissions": count, "workers": workers, "runner": runner_kind, "scheduler": scheduler,
        "wall_s": round(wall, 3),
        "seconds_per_submission": round(wall / count, 4) if count else None,
        "submissions_per_minute": round(60 * count / wall, 1) if count and wall else None,
        "graded": summary.graded, "errors": summary.errors, "timeouts": summary.timeouts,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
