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
A grading still running after `submission_timeout_s` (the runner's own timeouts failed) has its
worker killed and is recorded as "timeout"; the other submissions in flight go back in line.
A grader bug (any other exception from a worker) is printed with its traceback, counted as an
internal error and not recorded, so a re-run after the fix grades it. Job folders live under
`grader-batch-<pid>-*` in the temp dir, and so do the sandbox runners' job dirs and mount
points; a restart removes those of a batch that was killed.
With `scheduler`, the same jobs are graded on a Dask cluster instead of the local pool, with
the same recording and the same failure outcomes (grader.batch.cluster).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TextIO

from grader.batch.discover import Submission, discover
from grader.batch.gradebook import Gradebook
from grader.batch.job import (Job, error_result, possible_points, prepare, resolve_assignment,
                              result_total)
from grader.batch.fingerprint import check_secret
from grader.batch.summary import BatchSummary
from grader.batch.unpack import Limits
from grader.batch.worker import grade_job, init_worker
from grader.checks.results import SubmissionResult

WORKER_KILLED = ("the grading process was killed while grading this submission, twice (the "
                 "submission may kill its parent or exhaust memory); it was not graded")
OVERDUE = ("grading did not finish within {s:.0f} s; the grading process was stopped and the "
           "submission was not graded")
#: Wall-clock limit on grading one submission, beyond the runner's own per-call and
#: per-submission timeouts: the batch's last line of defence against a hang.
SUBMISSION_TIMEOUT_S = 600.0
SCRATCH_PREFIX = "grader-batch-"  # + "<pid>-<random>": the job folders of one batch run


def grade_batch(submissions_dir: str | os.PathLike, *, assignment, gradebook_path: str | os.PathLike,
                secret: str | bytes, workers: int | None = None, regrade: bool = False,
                runner_kind: str | None = "sandbox", runner_limits: dict | None = None,
                progress: bool = True, limits: Limits = Limits(),
                grade_fn: Callable[..., SubmissionResult] | None = None,
                work_dir: str | os.PathLike | None = None, out: TextIO | None = None,
                report: bool | None = None,
                submission_timeout_s: float | None = SUBMISSION_TIMEOUT_S,
                scheduler: str | None = None) -> BatchSummary:
    """Grade every submission under `submissions_dir` into the gradebook; return the summary.

    assignment: an Assignment or its name. workers: pool size (default: the number of cores).
    regrade: grade and overwrite what the gradebook already holds. grade_fn: replaces
    grader.checks.grade.grade_submission (tests). progress: a tqdm bar on stderr. report: print
    the summary to `out` (default stdout) at the end (default: as `progress`).
    submission_timeout_s: a submission still grading after this long is stopped (its worker
    killed) and recorded as "timeout"; None waits forever. scheduler: grade on a Dask cluster
    instead of the local pool (grader.batch.cluster): "local" for a LocalCluster of `workers`
    processes, else a scheduler address such as "tcp://host:8786".
    """
    clock = time.monotonic()
    spec = resolve_assignment(assignment)
    found = discover(submissions_dir, assignment=spec.name)
    summary = BatchSummary(assignment=spec.name, discovered=len(found.submissions),
                           superseded=len(found.superseded), notes=list(found.notes))
    workers = max(1, int(workers or os.cpu_count() or 1))
    sweep_stale_scratch(work_dir)
    Gradebook(gradebook_path).close()
    check_secret(gradebook_path, secret, regrade=regrade)  # another secret: refused, not skipped
    with Gradebook(gradebook_path) as book, \
            tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=work_dir) as scratch:
        runner_options = dict(runner_limits or {})
        if runner_kind == "sandbox" and not scheduler:
            # the runners' job dirs (and sandbox mount points) live in the batch's scratch too,
            # so a pool worker killed mid-grading leaves nothing behind once the batch ends
            runner_options.setdefault("job_base", scratch)
        run = _Run(book=book, spec=spec, points=possible_points(spec), summary=summary,
                   regrade=regrade, pool_args=(spec, secret, runner_kind, runner_options, grade_fn),
                   submission_timeout_s=submission_timeout_s)
        jobs: list[Job] = []
        for index, sub in enumerate(found.submissions):
            job_dir = Path(scratch) / f"job-{index:05d}"
            job_dir.mkdir()
            prepared = prepare(sub, job_dir, assignment=spec, limits=limits)
            if run.already_graded(sub.student, prepared.submission_hash):
                summary.skipped += 1
            elif isinstance(prepared, SubmissionResult):
                run.record(prepared)
            else:
                jobs.append(prepared)
        with _progress_bar(len(jobs), progress) as run.bar:
            if scheduler:
                from grader.batch.cluster import run_cluster
                run_cluster(run, jobs, scheduler=scheduler, workers=workers)
            else:
                run.run_pool(jobs, workers)
        students = {sub.student for sub in found.submissions}
        totals = [t for s, t in book.totals(spec.name).items() if s in students]
        summary.add_outcomes(r for r in book.submissions(spec.name) if r.student in students)
    if totals:
        summary.mean_score = sum(s for s, _ in totals) / len(totals)
        summary.mean_max = sum(m for _, m in totals) / len(totals)
    summary.duration_s = time.monotonic() - clock
    if report or (report is None and progress):
        print(summary.format(), file=out or sys.stdout, flush=True)
    return summary


@dataclass
class _Run:
    """The state of one batch run, shared by the steps below."""

    book: Gradebook
    spec: Any
    points: float
    summary: BatchSummary
    regrade: bool
    pool_args: tuple
    submission_timeout_s: float | None = None
    bar: Any = None

    def record(self, result: SubmissionResult) -> None:
        score, most = result_total(result, self.points)
        self.book.record(result, score=score, max_score=most, replace=self.regrade)
        if result.status == "graded":
            self.summary.graded += 1
        elif result.status == "timeout":
            self.summary.timeouts += 1
            self.summary.problems.append(f"{result.student}: timeout: {result.message}")
        else:
            self.summary.errors += 1
            self.summary.problems.append(f"{result.student}: {result.message}")

    def already_graded(self, student: str, submission_hash: str) -> bool:
        return not self.regrade and self.book.has(self.spec.name, student, submission_hash)

    def new_pool(self, size: int) -> ProcessPoolExecutor:
        # spawn: workers start clean (no copy of this process's memory, no inherited threads)
        return ProcessPoolExecutor(max_workers=size, initializer=init_worker,
                                   initargs=self.pool_args,
                                   mp_context=multiprocessing.get_context("spawn"))

    def collect(self, future, job: Job, suspects: list[Job]) -> bool:
        """Record one finished future; True when it reports a broken pool."""
        try:
            result = future.result()
        except BrokenProcessPool:
            suspects.append(job)
            return True
        except Exception as exc:
            self.internal_error(job, exc)
        else:
            self.record(result)
        self.bar.update(1)
        return False

    def internal_error(self, job: Job, exc: BaseException | None, what: str = "") -> None:
        """A grader bug while grading `job`: loud (traceback on stderr), counted, not recorded,
        so a re-run after the fix grades it."""
        what = what or f"{type(exc).__name__}: {exc}"
        self.summary.internal_errors += 1
        self.summary.problems.append(f"{job.student}: internal grader error: {what}")
        detail = "".join(traceback.format_exception(exc)) if exc is not None else what
        print(f"internal grader error while grading {job.student} ({job.source_name}):\n{detail}",
              file=sys.stderr, flush=True)

    def run_pool(self, jobs: list[Job], workers: int) -> None:
        """Grade `jobs` with at most `workers` in flight; recover from a broken pool and stop a
        submission whose grading outlives `submission_timeout_s`."""
        if not jobs:
            return
        size = min(workers, len(jobs))
        pending: deque[Job] = deque(jobs)
        pool = self.new_pool(size)
        try:
            inflight: dict = {}   # future -> (job, monotonic time it was handed to a free worker)
            while pending or inflight:
                while pending and len(inflight) < size:
                    job = pending.popleft()
                    if self.already_graded(job.student, job.submission_hash):
                        self.summary.skipped += 1  # another batch on this gradebook got there
                        self.bar.update(1)
                        continue
                    inflight[pool.submit(grade_job, job)] = (job, time.monotonic())
                if not inflight:
                    break
                done, _ = wait(inflight, timeout=self.wait_s(t for _, t in inflight.values()),
                               return_when=FIRST_COMPLETED)
                suspects: list[Job] = []
                for future in done:
                    self.collect(future, inflight.pop(future)[0], suspects)
                overdue = [f for f, (_, t) in inflight.items() if self.overdue(t)]
                if not (suspects or overdue):
                    continue
                for future in overdue:
                    self.record_overdue(inflight.pop(future)[0])
                _kill_workers(pool)  # a broken pool is replaced whole
                pool.shutdown(wait=True, cancel_futures=True)
                innocent = [job for job, _ in inflight.values()]
                inflight.clear()
                if suspects:  # a worker died: whoever was in flight may have killed it
                    self.grade_alone(suspects + innocent)
                else:         # we stopped the overdue ones: the others go back in line
                    pending.extendleft(reversed(innocent))
                pool = self.new_pool(size)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def grade_alone(self, suspects: list[Job]) -> None:
        """Grade each job that was in flight when a worker died, in a pool of its own."""
        for job in suspects:
            with self.new_pool(1) as solo:
                future = solo.submit(grade_job, job)
                done, _ = wait([future], timeout=self.submission_timeout_s)
                if not done:
                    _kill_workers(solo)
                    self.record_overdue(job)
                    continue
                if not self.collect(future, job, []):
                    continue
            self.record(self.unfinished(job, "error", WORKER_KILLED))
            self.bar.update(1)

    def wait_s(self, started) -> float | None:
        if self.submission_timeout_s is None:
            return None
        first = min(started)
        return max(0.05, first + self.submission_timeout_s - time.monotonic())

    def overdue(self, started: float) -> bool:
        return (self.submission_timeout_s is not None
                and time.monotonic() - started >= self.submission_timeout_s)

    def unfinished(self, job: Job, status: str, message: str) -> SubmissionResult:
        """The result of a job whose grading did not finish (killed worker, overdue)."""
        sub = Submission(student=job.student, source=Path(job.job_dir), layout="folder",
                         submitted_at=job.submitted_at)
        result = error_result(self.spec.name, sub, message, submission_hash=job.submission_hash)
        result.status = status
        return result

    def record_overdue(self, job: Job) -> None:
        self.record(self.unfinished(job, "timeout", OVERDUE.format(s=self.submission_timeout_s)))
        self.bar.update(1)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL every worker of `pool` (concurrent.futures offers no public way to stop a running
    call; its `_processes` map is the only handle on them)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):  # already gone
            pass


def sweep_stale_scratch(work_dir: str | os.PathLike | None, prefix: str = SCRATCH_PREFIX) -> list[str]:
    """Remove the job folders a killed batch left behind: ours (same uid), named
    `<prefix><pid>-*` after a process that no longer exists. Returns what was removed."""
    root = Path(work_dir or tempfile.gettempdir())
    removed = []
    for folder in root.glob(f"{prefix}*-*"):
        pid = folder.name[len(prefix):].split("-", 1)[0]
        try:
            info = folder.lstat()
            if not pid.isdigit() or info.st_uid != os.getuid() or not folder.is_dir() \
                    or folder.is_symlink():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
        except OSError:  # alive under another uid, or vanished meanwhile
            continue
    return removed


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
