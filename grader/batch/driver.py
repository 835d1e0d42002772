"""The batch driver: every submission of a folder, graded in a pool, recorded as it finishes.

    grade_batch(submissions_dir, *, assignment, gradebook_path, secret, ...) -> BatchSummary

Flow: discover -> unpack each into its own job folder and hash it (here, cheap) -> skip what
the gradebook already holds -> grade the rest in a pool of worker processes (spawned clean,
`workers` at a time, never more in flight) -> record each result in its own transaction the
moment it arrives. Killing this process at any moment loses at most the results in flight;
a restart grades exactly those.

A worker that dies (a submission that kills its grading process, the OOM killer) breaks the
pool; the submissions in flight are then graded again one at a time in a fresh pool, so only
the one that kills its worker again is recorded as an error, and the batch goes on.
A grader bug (any other exception from a worker) is printed with its traceback, counted as an
internal error and not recorded, so a re-run after the fix grades it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, TextIO

from grader.batch.discover import Submission, discover
from grader.batch.gradebook import Gradebook
from grader.batch.job import Job, error_result, prepare, resolve_assignment, result_total
from grader.batch.summary import BatchSummary
from grader.batch.unpack import Limits
from grader.batch.worker import grade_job, init_worker
from grader.checks.results import SubmissionResult

WORKER_KILLED = ("the grading process was killed while grading this submission, twice (the "
                 "submission may kill its parent or exhaust memory); it was not graded")


def grade_batch(submissions_dir: str | os.PathLike, *, assignment, gradebook_path: str | os.PathLike,
                secret: str | bytes, workers: int | None = None, regrade: bool = False,
                runner_kind: str | None = "sandbox", runner_limits: dict | None = None,
                progress: bool = True, limits: Limits = Limits(),
                grade_fn: Callable[..., SubmissionResult] | None = None,
                work_dir: str | os.PathLike | None = None, out: TextIO | None = None) -> BatchSummary:
    """Grade every submission under `submissions_dir` into the gradebook; return the summary.

    assignment: an Assignment or its name. workers: pool size (default: the number of cores).
    regrade: grade and overwrite what the gradebook already holds. grade_fn: replaces
    grader.checks.grade.grade_submission (tests). progress: tqdm bar on stderr and the summary
    printed to `out` (default stdout) at the end.
    """
    clock = time.monotonic()
    spec = resolve_assignment(assignment)
    found = discover(submissions_dir, assignment=spec.name)
    summary = BatchSummary(assignment=spec.name, discovered=len(found.submissions),
                           superseded=len(found.superseded), notes=list(found.notes))
    workers = max(1, int(workers or os.cpu_count() or 1))
    with Gradebook(gradebook_path) as book, \
            tempfile.TemporaryDirectory(prefix="grader-batch-", dir=work_dir) as scratch:
        jobs: list[Job] = []
        for index, sub in enumerate(found.submissions):
            job_dir = Path(scratch) / f"job-{index:05d}"
            job_dir.mkdir()
            prepared = prepare(sub, job_dir, assignment=spec, limits=limits)
            key = (spec.name, sub.student, prepared.submission_hash)
            if not regrade and book.has(*key):
                summary.skipped += 1
            elif isinstance(prepared, SubmissionResult):
                _record(book, prepared, spec, summary, regrade)
            else:
                jobs.append(prepared)
        pool_args = (spec, secret, runner_kind, runner_limits, grade_fn)
        with _progress_bar(len(jobs), progress) as bar:
            _run_pool(jobs, pool_args, workers, book, spec, summary, regrade, bar)
        students = {sub.student for sub in found.submissions}
        totals = [t for s, t in book.totals(spec.name).items() if s in students]
    if totals:
        summary.mean_score = sum(s for s, _ in totals) / len(totals)
        summary.mean_max = sum(m for _, m in totals) / len(totals)
    summary.duration_s = time.monotonic() - clock
    if progress:
        print(summary.format(), file=out or sys.stdout, flush=True)
    return summary


def _record(book: Gradebook, result: SubmissionResult, spec, summary: BatchSummary,
            regrade: bool) -> None:
    score, most = result_total(result, spec.points)
    book.record(result, score=score, max_score=most, replace=regrade)
    if result.status == "graded":
        summary.graded += 1
    elif result.status == "timeout":
        summary.timeouts += 1
        summary.problems.append(f"{result.student}: timeout: {result.message}")
    else:
        summary.errors += 1
        summary.problems.append(f"{result.student}: {result.message}")


def _new_pool(size: int, pool_args: tuple) -> ProcessPoolExecutor:
    # spawn: workers start clean (no copy of this process's memory, no inherited threads)
    return ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_worker, initargs=pool_args)


def _run_pool(jobs: list[Job], pool_args: tuple, workers: int, book: Gradebook, spec,
              summary: BatchSummary, regrade: bool, bar) -> None:
    if not jobs:
        return
    size = min(workers, len(jobs))
    pending, suspects = deque(jobs), []
    pool = _new_pool(size, pool_args)
    try:
        inflight: dict = {}
        while pending or inflight:
            while pending and len(inflight) < size:
                job = pending.popleft()
                if not regrade and book.has(spec.name, job.student, job.submission_hash):
                    summary.skipped += 1  # another batch on this gradebook got there first
                    bar.update(1)
                    continue
                inflight[pool.submit(grade_job, job)] = job
            if not inflight:
                break
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                job = inflight.pop(future)
                broken |= _collect(future, job, book, spec, summary, regrade, suspects, bar)
            if broken:  # every job still in flight died with the pool
                suspects.extend(inflight.values())
                inflight.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                _grade_alone(suspects, pool_args, book, spec, summary, regrade, bar)
                suspects.clear()
                pool = _new_pool(size, pool_args)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(future, job: Job, book: Gradebook, spec, summary: BatchSummary, regrade: bool,
             suspects: list, bar) -> bool:
    """Record one finished future; True when it reports a broken pool."""
    try:
        result = future.result()
    except BrokenProcessPool:
        suspects.append(job)
        return True
    except Exception as exc:  # our bug: loud, counted, not recorded
        summary.internal_errors += 1
        summary.problems.append(f"{job.student}: internal grader error: {type(exc).__name__}: {exc}")
        print(f"internal grader error while grading {job.student} ({job.source_name}):\n"
              + "".join(traceback.format_exception(exc)), file=sys.stderr, flush=True)
    else:
        _record(book, result, spec, summary, regrade)
    bar.update(1)
    return False


def _grade_alone(suspects: list[Job], pool_args: tuple, book: Gradebook, spec,
                 summary: BatchSummary, regrade: bool, bar) -> None:
    """Grade each job that was in flight when a worker died in a pool of its own."""
    for job in suspects:
        with _new_pool(1, pool_args) as solo:
            future = solo.submit(grade_job, job)
            wait([future])
            if not _collect(future, job, book, spec, summary, regrade, [], bar):
                continue
        sub_result = error_result(spec.name, _as_submission(job), WORKER_KILLED,
                                  submission_hash=job.submission_hash)
        sub_result.submitted_at = job.submitted_at
        _record(book, sub_result, spec, summary, regrade)
        bar.update(1)


def _as_submission(job: Job) -> Submission:
    return Submission(student=job.student, source=Path(job.job_dir), layout="folder",
                      submitted_at=job.submitted_at)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        pass


def _progress_bar(total: int, enabled: bool):
    if not enabled or total == 0:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit="sub", desc="grading", file=sys.stderr, dynamic_ncols=True,
                mininterval=0.2, smoothing=0.1)
