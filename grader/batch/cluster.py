"""Grading past one machine: Dask distributed schedules the submissions onto its workers.

    grade_batch(..., scheduler="local")              # a LocalCluster of `workers` processes here
    grade_batch(..., scheduler="tcp://host:8786")    # an existing Dask cluster

Each Dask worker grades one submission per thread exactly as a pool worker does
(grader.batch.worker): a `CoursePlugin`, set up on every worker, makes the same runner factory
first (the sandbox worker is a fresh interpreter it starts, so student code is forked from that,
never from the Dask worker), and only then holds the assignment, the secret and the grade
function. A submission travels as the bytes of the files the driver unpacked into its job
folder; the worker writes them into a private temporary folder, grades them and sends back the
SubmissionResult as JSON-ready data. So the workers need no shared filesystem for submissions,
but they do need the course: the same `grader` package and the assignment's folder
(solutions/<name>) at the same path, which the plugin checks when it is set up. The course
secret travels to the workers inside the plugin, so a cluster spanning machines belongs on a
trusted network or behind Dask's TLS security settings.

The driver alone writes the gradebook, one transaction per result, as with the local pool; it
keeps no more submissions in flight than the cluster has threads, so a killed driver loses only
those, and a restart grades exactly them.

Failures, mapped onto the local pool's:
- a Dask worker that dies while grading (a submission that kills its grading process under the
  plain runner, the OOM killer) has its submission retried by Dask on another worker; a local
  cluster allows one retry, so a submission that kills a second worker is recorded as an error
  with the pool's message (an external cluster's `distributed.scheduler.allowed-failures` rules);
- a submission still grading after `submission_timeout_s` (counted, as in the pool, from when a
  worker started it: the worker logs a `STARTED_TOPIC` event that the driver times on its own
  clock) is recorded as "timeout" and the worker grading it is restarted; when that worker's
  machine was overloaded (load average above its cores) the submission goes back in line once
  first, as in the pool;
- any other exception is a grader bug: printed, counted as an internal error, not recorded;
- a cluster left with no worker at all for NO_WORKERS_S (with or without a backstop) ends the
  batch: every submission not graded by then is recorded as an internal error;
- an unreachable scheduler, workers without the course, or a scheduler lost mid-batch stop the
  batch with a ClusterError in words (what already arrived is recorded; a re-run resumes).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from collections import deque
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from distributed import WorkerPlugin

from grader.batch.job import Job, grade_prepared
from grader.checks.results import SubmissionResult

LOCAL = "local"
#: + "<dask worker pid>-<random>": a worker's job folders (and sandbox job dirs), removed at
#: teardown; a later set-up removes those of workers that were killed
WORKER_SCRATCH_PREFIX = "grader-dask-"
#: A local cluster retries a submission whose worker died once, like the pool's "grade alone",
#: and hands a worker no more submissions than it has threads, so a submission that kills its
#: worker has no innocent one queued behind it to be counted as a suspect.
LOCAL_CONFIG = {"distributed.scheduler.allowed-failures": 1,
                "distributed.scheduler.worker-saturation": 1.0}
#: A submission no worker has started this many submission backstops after it was handed to
#: the cluster is recorded as an internal error (graded again by the next run), so a batch on a
#: cluster that lost its workers ends instead of waiting for ever.
NOT_STARTED_FACTOR = 3
NOT_STARTED = ("no Dask worker started grading this submission within {s:g} s of its hand-off "
               "(the cluster lost its workers?); run the same command again to grade it")
#: A cluster with no worker at all for this many seconds (all lost, none back from a restart)
#: ends the batch, backstop or none: what is in flight or still to hand out is recorded as an
#: internal error (graded again by the next run), never waited on for ever.
NO_WORKERS_S = 60.0
NO_WORKERS = ("the Dask cluster had no worker for {s:g} s, so nobody graded this submission; "
              "start workers and run the same command again to grade it")
#: With no submission backstop, how often the driver looks at the cluster while it waits.
POLL_S = 5.0
#: The Dask event topic on which a worker says it has started grading a task (its key).
STARTED_TOPIC = "grader-started"
_STATE: dict[str, dict[str, Any]] = {}  # on a Dask worker: plugin name -> what grade_files needs


class ClusterError(RuntimeError):
    """The Dask cluster could not be reached or set up: the batch cannot start."""


class CoursePlugin(WorkerPlugin):
    """Holds, on each Dask worker, what grading needs: the runner factory first, then the
    assignment, the secret and the grade function."""

    def __init__(self, name: str, assignment, secret, runner_kind, runner_limits, grade_fn):
        self.name = name
        self.args = (assignment, secret, runner_kind, runner_limits, grade_fn)

    def setup(self, worker=None) -> None:
        from grader.batch.driver import sweep_stale_scratch
        from grader.batch.worker import default_grade_fn, make_factory
        assignment, secret, runner_kind, runner_limits, grade_fn = self.args
        root = getattr(assignment, "root", None)
        if root is not None and not Path(root).is_dir():
            raise ClusterError(f"this Dask worker has no {root}: every worker needs the course "
                               "(grader and the assignment's folder) at the same path")
        sweep_stale_scratch(None, prefix=WORKER_SCRATCH_PREFIX)
        scratch = tempfile.mkdtemp(prefix=f"{WORKER_SCRATCH_PREFIX}{os.getpid()}-")
        limits = dict(runner_limits or {})
        if runner_kind == "sandbox":
            limits.setdefault("job_base", scratch)
        runner_factory = make_factory(runner_kind, limits)
        _STATE[self.name] = dict(assignment=assignment, secret=secret,
                                 runner_factory=runner_factory,
                                 grade_fn=grade_fn or default_grade_fn(), scratch=scratch)

    def teardown(self, worker=None) -> None:
        state = _STATE.pop(self.name, None) or {}
        factory = state.get("runner_factory")
        if factory is not None and hasattr(factory, "close"):
            factory.close()
        if state.get("scratch"):
            shutil.rmtree(state["scratch"], ignore_errors=True)


def payload(job: Job) -> dict:
    """What travels to a worker: the job's metadata and the bytes of its files."""
    root = Path(job.job_dir)
    files = {path.relative_to(root).as_posix(): path.read_bytes()
             for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()}
    return {"student": job.student, "submission_hash": job.submission_hash, "files": files,
            "file_list": list(job.files), "notes": list(job.notes),
            "submitted_at": job.submitted_at, "source_name": job.source_name}


def grade_files(plugin_name: str, data: dict) -> dict:
    """Run on a Dask worker: write the submission into a private folder, grade it, return the
    SubmissionResult as a dict."""
    state = dict(_STATE.get(plugin_name) or {})
    if not state:
        raise ClusterError(f"this Dask worker has no course set up ({plugin_name})")
    _say_started()
    with tempfile.TemporaryDirectory(prefix="job-", dir=state.pop("scratch")) as folder:
        for rel, content in data["files"].items():
            parts = PurePosixPath(rel).parts
            if PurePosixPath(rel).is_absolute() or ".." in parts or not parts:
                raise ValueError(f"refusing to write {rel!r} outside the job folder")
            target = Path(folder, *parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        job = Job(student=data["student"], job_dir=folder, submission_hash=data["submission_hash"],
                  files=tuple(data["file_list"]), notes=tuple(data["notes"]),
                  submitted_at=data["submitted_at"], source_name=data["source_name"])
        return grade_prepared(job, **state).to_dict()


def _say_started() -> None:
    """Tell the driver (via the scheduler) that this worker has started the current task."""
    from distributed import get_worker
    try:
        worker = get_worker()
        worker.log_event(STARTED_TOPIC, {"key": str(worker.get_current_task())})
    except ValueError:  # not on a Dask worker (called directly): nobody is timing it
        pass


def _worker_overloaded() -> bool:
    """Run on a Dask worker: is its machine overloaded (grader.runner.cputime)?"""
    from grader.runner.cputime import machine_overloaded
    return machine_overloaded()


@contextmanager
def connect(scheduler: str, workers: int, *, connect_timeout_s: float = 10.0) -> Iterator[Any]:
    """A Dask Client on `scheduler`: LOCAL starts a LocalCluster of `workers` single-threaded
    processes (closed on exit); anything else is a scheduler address."""
    import dask
    from distributed import Client, LocalCluster
    if scheduler == LOCAL:
        with dask.config.set(LOCAL_CONFIG):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", memory_limit=0,
                                   silence_logs=logging.CRITICAL)
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(scheduler, timeout=connect_timeout_s)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None
    try:
        yield client
    finally:
        client.close()


def run_cluster(run, jobs: list[Job], *, scheduler: str, workers: int,
                connect_timeout_s: float = 10.0) -> None:
    """Grade `jobs` on the Dask cluster `scheduler` for the batch `run` (driver._Run), recording
    each result as it arrives."""
    if not jobs:
        return
    from concurrent.futures import CancelledError

    from distributed import wait
    from distributed.scheduler import KilledWorker

    with connect(scheduler, workers, connect_timeout_s=connect_timeout_s) as client:
        name = f"grader-course-{uuid.uuid4().hex}"
        try:
            client.register_plugin(CoursePlugin(name, *run.pool_args), name=name)
        except Exception as exc:
            raise ClusterError(f"the Dask workers could not set up the course: "
                               f"{type(exc).__name__}: {exc}") from None
        try:
            _grade_on(client, run, jobs, name, KilledWorker, wait)
        except (CancelledError, OSError) as exc:  # the scheduler went away mid-batch
            raise ClusterError(
                f"lost the Dask scheduler at {scheduler!r} during the batch "
                f"({type(exc).__name__}); every result that arrived is recorded: run the same "
                "command again to grade the rest") from None
        finally:
            try:
                client.unregister_worker_plugin(name)
            except Exception:  # the cluster is going away anyway
                pass


def _grade_on(client, run, jobs: list[Job], name: str, killed_type: type, wait) -> None:
    """The loop of run_cluster: keep the cluster's threads busy, record what comes back."""
    from grader.batch.driver import WORKER_KILLED
    slots = max(1, sum(client.nthreads().values()))
    pending: deque[Job] = deque(jobs)
    inflight: dict = {}  # future -> job
    handed: dict = {}  # future -> monotonic time it was handed to the cluster
    started: dict[str, float] = {}  # task key -> this driver's monotonic time its worker began
    lonely: list[float] = []  # since when the cluster has had no worker (empty: it has one)

    def on_started(event) -> None:  # on the client's event-loop thread
        started.setdefault(str(event[1].get("key")), time.monotonic())

    client.subscribe_topic(STARTED_TOPIC, on_started)
    try:
        while pending or inflight:
            while pending and len(inflight) < slots:
                job = pending.popleft()
                if run.already_graded(job.student, job.submission_hash):
                    run.summary.skipped += 1
                    run.bar.update(1)
                    continue
                future = client.submit(grade_files, name, payload(job), pure=False,
                                       key=f"grade-{job.student}-{uuid.uuid4().hex[:8]}")
                inflight[future] = job
                handed[future] = time.monotonic()
            if not inflight:
                break
            timeout = run.wait_s(started.get(str(f.key)) for f in inflight)
            try:
                done, _ = wait(list(inflight), timeout=POLL_S if timeout is None else timeout,
                               return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            if not done and _lost_every_worker(client, lonely):
                client.cancel(list(inflight), force=True)
                for job in list(inflight.values()) + list(pending):
                    if job in pending and run.already_graded(job.student, job.submission_hash):
                        run.summary.skipped += 1
                    else:
                        run.internal_error(job, None, NO_WORKERS.format(s=NO_WORKERS_S))
                    run.bar.update(1)
                return
            for future in done:
                job = inflight.pop(future)
                started.pop(str(future.key), None)
                _collect(run, future, job, killed_type, WORKER_KILLED)
                future.release()  # recorded: the cluster need not keep (or recompute) it
            overdue = [f for f in inflight if run.overdue(started.get(str(f.key)))]
            if overdue:
                for job in _stop_overdue(client, run, overdue, inflight):
                    pending.appendleft(job)
            unstarted = [f for f in inflight if str(f.key) not in started
                         and _never_started(run, handed[f])]
            if unstarted:  # no worker took them up (workers lost, or never back from a restart)
                client.cancel(unstarted, force=True)
                for future in unstarted:
                    run.internal_error(inflight.pop(future), None, NOT_STARTED.format(
                        s=NOT_STARTED_FACTOR * run.submission_timeout_s))
                    run.bar.update(1)
    finally:
        client.unsubscribe_topic(STARTED_TOPIC)


def _collect(run, future, job: Job, killed_type: type, killed_message: str) -> None:
    exc = future.exception() if future.status == "error" else None
    if future.status == "finished":
        run.record(SubmissionResult.from_dict(future.result()))
    elif isinstance(exc, killed_type):
        run.record(run.unfinished(job, "error", killed_message))
    else:  # our bug, or a future cancelled under us
        run.internal_error(job, exc, "" if exc is not None else f"the task was {future.status}")
    run.bar.update(1)


def _lost_every_worker(client, lonely: list[float]) -> bool:
    """True once the cluster has had no worker for NO_WORKERS_S; `lonely` keeps since when."""
    if client.nthreads():
        lonely.clear()
        return False
    if not lonely:
        lonely.append(time.monotonic())
    return time.monotonic() - lonely[0] >= NO_WORKERS_S


def _never_started(run, handed: float) -> bool:
    """Handed to the cluster NOT_STARTED_FACTOR x the submission backstop ago, and no worker has
    started it: the cluster has lost the workers that could (a batch must end, not wait)."""
    return (run.submission_timeout_s is not None
            and time.monotonic() - handed >= NOT_STARTED_FACTOR * run.submission_timeout_s)


def _stop_overdue(client, run, overdue: list, inflight: dict) -> list[Job]:
    """Stop each overdue submission and restart the worker grading it; record it as a timeout,
    or, once, when its worker's machine was overloaded, return it to go back in line. The
    cancel is synchronous and comes first, so the scheduler cannot hand the task to another
    worker when this one goes away."""
    keys = {future.key for future in overdue}
    where = {key: address for address, held in client.processing().items()
             for key in held if key in keys}
    busy = sorted(set(where.values()))
    try:
        loaded = client.run(_worker_overloaded, workers=busy) if busy else {}
    except Exception:  # a worker that cannot answer is not known to be overloaded
        loaded = {}
    client.cancel(overdue, force=True)
    again = []
    for future in overdue:
        job = inflight.pop(future)
        if run.retry_overdue(job, overloaded=bool(loaded.get(where.get(future.key)))):
            again.append(job)
        else:
            run.record_overdue(job)
    if busy:
        client.restart_workers(busy, raise_for_error=False)
    return again
