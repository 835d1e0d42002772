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
A grading still running `submission_timeout_s` after it started (the runner's own budgets
failed) has its worker killed and is recorded as "timeout"; the other submissions in flight go
back in line. That backstop is wall-clock time, so one that ran out while the machine was
overloaded (load average above the core count) sends the submission back in line once first.
A grader bug (any other exception from a worker) is printed with its traceback, counted as an
internal error and recorded as the submission's result with status "error" (so a batch never
loses a student); a re-run grades such a submission again (after the fix), replacing it.
Job folders live under
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from grader.batch.discover import Submission, discover
from grader.batch.gradebook import Gradebook
from grader.batch.job import (IDENTITY_FLAG, Job, error_result, possible_points, prepare,
                              provenance_of, resolve_assignment, result_total)
from grader.batch.fingerprint import check_secret
from grader.batch.summary import BatchSummary
from grader.batch.unpack import Limits
from grader.batch.worker import grade_job, init_worker, started_marker
from grader.checks.results import SubmissionResult
from grader.runner.cputime import machine_overloaded

WORKER_KILLED = ("the grading process was killed while grading this submission, twice (the "
                 "submission may kill its parent or exhaust memory); it was not graded")
INTERNAL = ("internal grader error (a bug in the grader, not in the submission; it is graded "
            "again on the next run)")
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
                scheduler: str | None = None, roster_path: str | os.PathLike | None = None,
                times_path: str | os.PathLike | None = None) -> BatchSummary:
    """Grade every submission under `submissions_dir` into the gradebook; return the summary.

    assignment: an Assignment or its name. workers: pool size (default: the number of cores).
    regrade: grade and overwrite what the gradebook already holds. grade_fn: replaces
    grader.checks.grade.grade_submission (tests). progress: a tqdm bar on stderr. report: print
    the summary to `out` (default stdout) at the end (default: as `progress`).
    submission_timeout_s: a submission still grading after this long is stopped (its worker
    killed) and recorded as "timeout"; None waits forever. scheduler: grade on a Dask cluster
    instead of the local pool (grader.batch.cluster): "local" for a LocalCluster of `workers`
    processes, else a scheduler address such as "tcp://host:8786". roster_path: the course
    roster CSV (grader.batch.roster): stored in the gradebook, every roster student gets a row.
    times_path: a CSV of trusted submission times (grader.batch.discover.apply_times).
    """
    clock = time.monotonic()
    spec = resolve_assignment(assignment)
    roster = None
    if roster_path is not None:
        from grader.batch.roster import read_roster
        roster = read_roster(roster_path)
    found = discover(submissions_dir, assignment=spec.name, roster=roster, times_csv=times_path)
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
        if roster is not None:
            run.add_roster(roster, {s.student for s in found.submissions})
        summary.notes.extend(f"{s.student}: {flag}" for s in found.submissions for flag in s.flags
                             if "roster" not in flag)
        jobs: list[Job] = []
        for index, sub in enumerate(found.submissions):
            job_dir = Path(scratch) / f"job-{index:05d}"
            job_dir.mkdir()
            prepared = prepare(sub, job_dir, assignment=spec, limits=limits)
            if isinstance(prepared, SubmissionResult):
                run.provenance[sub.student] = dict(provenance_of(sub))
            else:
                run.provenance[sub.student] = dict(prepared.provenance)
                summary.notes.extend(f"{sub.student}: {n}" for n in prepared.notes
                                     if n.startswith(IDENTITY_FLAG))
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
        students = {sub.student for sub in found.submissions} | {e.student for e in roster or ()}
        totals = _class_totals(book, spec, gradebook_path, students)
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
    retried: set = field(default_factory=set)  # (student, hash) sent back once when overdue
    provenance: dict = field(default_factory=dict)   # student -> provenance columns

    def retry_overdue(self, job: Job, overloaded: bool | None = None) -> bool:
        """An overdue job whose backstop ran out while the machine grading it was overloaded
        (`overloaded`; None: this machine, judged now) goes back in line once (True), before it
        counts as a timeout."""
        key = (job.student, job.submission_hash)
        if overloaded is None:
            overloaded = machine_overloaded()
        if key in self.retried or not overloaded:
            return False
        self.retried.add(key)
        return True

    def record(self, result: SubmissionResult) -> None:
        score, most = result_total(result, self.points)
        replace = self.regrade or self._internal_error_recorded(result.student, result.submission_hash)
        self.book.record(result, score=score, max_score=most, replace=replace,
                         provenance=self.provenance.get(result.student))
        if result.status == "graded":
            self.summary.graded += 1
        elif result.status == "timeout":
            self.summary.timeouts += 1
            self.summary.problems.append(f"{result.student}: timeout: {result.message}")
        else:
            self.summary.errors += 1
            self.summary.problems.append(f"{result.student}: {result.message}")

    def add_roster(self, roster, submitted: set[str]) -> None:
        """Store the roster; a roster student with no submission and no gradebook row gets a
        "no_submission" row worth 0, so every export and page lists them."""
        from grader.batch.roster import no_submission
        self.book.set_roster([e.as_row() for e in roster])
        missing = [e for e in roster if e.student not in submitted]
        for entry in missing:
            if self.book.count(self.spec.name, entry.student) == 0:
                score, most = result_total(no_submission(self.spec.name, entry), self.points)
                self.book.record(no_submission(self.spec.name, entry), score=score,
                                 max_score=most, provenance={"student_source": "roster"})
        if missing:
            self.summary.notes.append(f"{len(missing)} roster student(s) without a submission "
                                      f"(0 points): " + ", ".join(e.student for e in missing))

    def already_graded(self, student: str, submission_hash: str) -> bool:
        """In the gradebook already, and not as an internal error (those are graded again)."""
        return (not self.regrade and self.book.has(self.spec.name, student, submission_hash)
                and not self._internal_error_recorded(student, submission_hash))

    def _internal_error_recorded(self, student: str, submission_hash: str) -> bool:
        latest = self.book.latest(self.spec.name, student)
        return (latest is not None and latest.submission_hash == submission_hash
                and latest.status == "error" and latest.message.startswith(INTERNAL))

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
        """A grader bug while grading `job`: loud (traceback on stderr), counted, and recorded
        as the submission's "error" result, which a re-run grades again (after the fix)."""
        what = what or f"{type(exc).__name__}: {exc}"
        detail = "".join(traceback.format_exception(exc)) if exc is not None else what
        print(f"internal grader error while grading {job.student} ({job.source_name}):\n{detail}",
              file=sys.stderr, flush=True)
        result = self.unfinished(job, "error", f"{INTERNAL}: {what[:500]}")
        score, most = result_total(result, self.points)
        self.book.record(result, score=score, max_score=most, replace=self.regrade
                         or self._internal_error_recorded(job.student, job.submission_hash))
        self.summary.internal_errors += 1
        self.summary.problems.append(f"{job.student}: internal grader error: {what}")

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
                    _clear_started(job)
                    inflight[pool.submit(grade_job, job)] = (job, time.monotonic())
                if not inflight:
                    break
                starts = [_started(job, t) for job, t in inflight.values()]
                done, _ = wait(inflight, timeout=self.wait_s(starts), return_when=FIRST_COMPLETED)
                suspects: list[Job] = []
                for future in done:
                    self.collect(future, inflight.pop(future)[0], suspects)
                overdue = [f for f, (job, t) in inflight.items() if self.overdue(_started(job, t))]
                if not (suspects or overdue):
                    continue
                for future in overdue:
                    job = inflight.pop(future)[0]
                    if self.retry_overdue(job):
                        pending.appendleft(job)
                    else:
                        self.record_overdue(job)
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
        queue = deque(suspects)
        while queue:
            job = queue.popleft()
            with self.new_pool(1) as solo:
                _clear_started(job)
                future, handed = solo.submit(grade_job, job), time.monotonic()
                while not future.done() and not self.overdue(_started(job, handed)):
                    wait([future], timeout=self.wait_s([_started(job, handed)]))
                if not future.done():
                    _kill_workers(solo)
                    if self.retry_overdue(job):
                        queue.appendleft(job)
                    else:
                        self.record_overdue(job)
                    continue
                if not self.collect(future, job, []):
                    continue
            self.record(self.unfinished(job, "error", WORKER_KILLED))
            self.bar.update(1)

    def wait_s(self, started) -> float | None:
        """How long to wait before one of the gradings that `started` (start times, None for
        not started yet: looked at again within a second) can be overdue."""
        if self.submission_timeout_s is None:
            return None
        started = list(started)
        known = [t for t in started if t is not None]
        if not known:
            return 1.0
        wait = max(0.05, min(known) + self.submission_timeout_s - time.monotonic())
        return min(wait, 1.0) if len(known) < len(started) else wait

    def overdue(self, started: float | None) -> bool:
        return (self.submission_timeout_s is not None and started is not None
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


def _class_totals(book: Gradebook, spec, gradebook_path, students: set[str]) -> list[tuple]:
    """(final, maximum) of each student's latest result, from the one grade row the pages and
    exports read (grader.reports.grades: after-due-date checks only after the due date, TA
    overrides, extensions, late penalty); for a stand-in assignment without tasks (tests), the
    gradebook's stored totals."""
    from grader.assignment import Assignment
    if not isinstance(spec, Assignment):
        return [t for s, t in book.totals(spec.name).items() if s in students]
    from grader.reports.grades import grade_rows, load_overrides
    from grader.reports.latedays import course_policy
    latest = [r for r in (book.latest(spec.name, s) for s in sorted(students)) if r is not None]
    rows = grade_rows(latest, spec, overrides=load_overrides(gradebook_path, spec),
                      course=course_policy(gradebook_path, spec, roster=book.roster()))
    return [(row.final, row.max_total) for row in rows]


def _started(job: Job, handed: float) -> float | None:
    """When `job`'s grading started (its worker's marker; not before it was handed out), or
    None while its worker is still starting (a slow start is not the submission's)."""
    try:
        with open(started_marker(job)) as handle:
            return max(handed, float(handle.read()))
    except (OSError, ValueError):
        return None


def _clear_started(job: Job) -> None:
    try:
        os.unlink(started_marker(job))
    except OSError:
        pass


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
