"""The sandboxed runner: the Runner interface over children forked by a sandbox worker.

    factory = sandbox_factory(call_timeout_s=10, total_timeout_s=120, memory_bytes=2 << 30)
    with factory("submissions/alice") as student:
        out, cache = student.call("layers", "affine_forward", x, w, b, keep=(1,))

Optional outer layer: where ``unshare -r -n -m`` works (detected once; ``userns=False`` turns
it off), the worker itself runs in a fresh user + network + mount namespace, so its children
have no network interface even before seccomp, and their job folders live on the worker's
private tmpfs with a size and file-count quota (``scratch_bytes``, ``scratch_files``;
grader.runner.scratch). The factory owns one worker process (``grader.runner.worker``), started lazily and restarted
when it dies (a student that kills it costs its own submission a 'crashed' verdict, nothing
more). For each submission the grader makes a job dir (a copy of the submission), creates the
two protocol pipes and the capped output files, and hands their descriptors to the worker,
which forks the confined child; from then on the grader talks to the child directly, exactly as
with the plain runner (``grader.runner.session``), and kills its process group on a timeout.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from grader.runner.client import child_environment, describe_exit
from grader.runner.jobdir import OUTPUT_BUDGET, JobDir
from grader.runner.limits import Limits
from grader.runner.protocol import ProtocolError, read_frame, widen_pipe
from grader.runner.scratch import SCRATCH_BYTES, SCRATCH_FILES
from grader.runner.session import WALL_FACTOR, PipeSession

SETUP_FAILED = 71  # the worker's exit status for a child whose confinement failed


class WorkerDied(RuntimeError):
    """The sandbox worker process is gone (killed, crashed or closed)."""


class SandboxSetupError(RuntimeError):
    """A child could not apply its confinement: our failure, never the student's."""


class WorkerProcess:
    """The grader's handle on one ``python -m grader.runner.worker`` process."""

    def __init__(self, config: dict):
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        flags = ["-P"] if sys.version_info >= (3, 11) else []
        outer = ["unshare", "-r", "-n", "-m"] if config.get("userns") else []
        self.mountpoint = None
        if config.get("userns") and config.get("scratch"):
            # an empty folder the worker mounts its private tmpfs on (grader.runner.scratch)
            self.mountpoint = tempfile.mkdtemp(prefix="grader-scratch-", dir=config.get("job_base"))
            config = {**config, "scratch": {**config["scratch"], "path": self.mountpoint}}
        else:  # no mount namespace of its own: the worker must not mount anything
            config = {**config, "scratch": None}
        config = {**config, "grader_pid": os.getpid()}  # the worker dies with this process
        try:
            self.proc = subprocess.Popen(
                [*outer, sys.executable, *flags, "-m", "grader.runner.worker",
                 "--sock", str(child_end.fileno()), "--config", json.dumps(config)],
                env=child_environment(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                pass_fds=(child_end.fileno(),), start_new_session=True, cwd="/")
        finally:
            child_end.close()
        self.sock = parent_end
        self.sock.settimeout(30)
        self.lock = threading.Lock()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def request(self, message: dict, fds: list[int] = ()) -> dict:
        with self.lock:
            try:
                socket.send_fds(self.sock, [json.dumps(message).encode()], list(fds))
                data = self.sock.recv(1 << 20)
            except OSError as exc:
                raise WorkerDied(f"the sandbox worker is gone ({exc})") from None
        if not data:
            raise WorkerDied("the sandbox worker is gone")
        reply = json.loads(data)
        if "error" in reply:
            raise RuntimeError(f"sandbox worker: {reply['error']}")
        return reply

    def close(self) -> None:
        self.sock.close()
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.mountpoint is not None:  # the mount went with the worker's namespace
            try:
                os.rmdir(self.mountpoint)
            except OSError:
                pass


class SandboxFactory:
    """``factory(submission_dir) -> SandboxRunner``; owns (and restarts) one worker."""

    def __init__(self, *, call_timeout_s: float = 10.0, total_timeout_s: float = 120.0,
                 wall_factor: float = WALL_FACTOR, stdout_cap: int = 1 << 20,
                 landlock: bool = True, seccomp: bool = True,
                 userns: bool | str = "auto", job_base: str | None = None,
                 scratch_bytes: int = SCRATCH_BYTES, scratch_files: int = SCRATCH_FILES,
                 output_budget: int = OUTPUT_BUDGET, **limits: Any):
        self.call_timeout_s = call_timeout_s
        self.total_timeout_s = total_timeout_s  # CPU seconds, as call_timeout_s (session.py)
        self.wall_factor = wall_factor
        self.stdout_cap = stdout_cap
        self.job_base = job_base  # where job dirs are made (default: the system temp dir)
        self.output_budget = int(output_budget)  # stdout + stderr of all of a submission's children
        limits.setdefault("cpu_s", max(1, int(total_timeout_s) + 1))
        self.limits = Limits(**limits)
        if userns == "auto":
            from grader.runner.isolation import userns_available
            userns = userns_available()
        self.config = {"limits": self.limits.__dict__, "landlock": landlock, "seccomp": seccomp,
                       "userns": bool(userns), "stdout_cap": stdout_cap, "job_base": job_base,
                       "scratch": ({"bytes": int(scratch_bytes), "files": int(scratch_files)}
                                   if scratch_files and scratch_bytes else None)}
        self._worker: WorkerProcess | None = None
        self._owner_pid = os.getpid()
        self._lock = threading.Lock()
        self.workers_started = 0

    def worker(self, *, fresh: bool = False) -> WorkerProcess:
        """The live worker, starting one if there is none (or it died, or ``fresh``)."""
        with self._lock:
            if self._owner_pid != os.getpid():  # inherited through fork (a process pool): not ours
                self._worker, self._owner_pid = None, os.getpid()
            if self._worker is not None and (fresh or not self._worker.alive()):
                self._worker.close()
                self._worker = None
            if self._worker is None:
                self._worker = WorkerProcess(self.config)
                self.workers_started += 1
            return self._worker

    def __getstate__(self) -> dict:
        """Picklable (for process pools): the copy starts its own worker when first used."""
        state = dict(self.__dict__)
        state.update(_worker=None, _lock=None, _owner_pid=None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._owner_pid = os.getpid()

    def __call__(self, submission_dir: str | os.PathLike) -> "SandboxRunner":
        return SandboxRunner(submission_dir, factory=self)

    def close(self) -> None:
        with self._lock:
            if self._worker is not None and self._owner_pid == os.getpid():
                self._worker.close()
                self._worker = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


def sandbox_factory(**limits: Any) -> SandboxFactory:
    """See ``grader.runner.make_runner_factory``."""
    return SandboxFactory(**limits)


class SandboxRunner(PipeSession):
    """A Runner (docs/ARCHITECTURE.md) whose child is forked and confined by the worker."""

    def __init__(self, submission_dir: str | os.PathLike, *, factory: SandboxFactory):
        super().__init__(submission_dir, call_timeout_s=factory.call_timeout_s,
                         total_timeout_s=factory.total_timeout_s,
                         wall_factor=factory.wall_factor)
        if not os.path.exists(self.submission_dir):
            raise FileNotFoundError(self.submission_dir)
        self.factory = factory
        self.job = JobDir(self.submission_dir, base=factory.job_base,
                          output_budget=factory.output_budget)
        self.pid: int | None = None
        self.worker: WorkerProcess | None = None
        #: the layers the last child reported active after confining itself
        self.layers: dict = {}

    def _spawn(self, first_id: int) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        out_fd, err_fd = self.job.open_outputs()
        request = {"op": "spawn", "work": self.job.work, "first_id": first_id,
                   "fsize": self.job.output_allowance(self.factory.limits.fsize_bytes)}
        fds = [to_child_r, from_child_w, out_fd, err_fd]
        try:
            try:
                self.worker = self.factory.worker()
                self.pid = self.worker.request(request, fds)["pid"]
            except WorkerDied:  # it died since the last submission: one fresh try
                self.worker = self.factory.worker(fresh=True)
                self.pid = self.worker.request(request, fds)["pid"]
        except BaseException:
            os.close(to_child_w)
            os.close(from_child_r)
            raise
        finally:
            for fd in fds:
                os.close(fd)
        self._fd_to, self._fd_from = to_child_w, from_child_r
        widen_pipe(self._fd_from)
        os.set_blocking(self._fd_to, False)  # writes wait with a deadline (protocol.write_frame)
        try:
            ready = read_frame(self._fd_from, deadline=time.monotonic() + 30)
        except ProtocolError:
            ready = None
        if type(ready) is not dict or ready.get("ready") is not True:
            # No student code has run yet, so what the child left on stderr is ours to trust.
            self._kill()
            how = self._reap()
            raise SandboxSetupError(f"the sandboxed child did not start: {how}")
        self.layers = ready.get("layers") or {}

    def _child_pid(self) -> int | None:
        return self.pid

    def _kill(self) -> None:
        if self.pid is None:
            return
        for kill in (lambda: os.killpg(self.pid, signal.SIGKILL), lambda: os.kill(self.pid, signal.SIGKILL)):
            try:
                kill()
            except OSError:
                pass

    def _wait_exit(self, seconds: float) -> None:
        """No grace period: nothing in a child needs a clean exit; it is killed at once."""

    def _reap(self) -> str:
        if self.pid is None:
            return ""
        pid, self.pid = self.pid, None
        try:
            if self._closed:  # a normal close: nobody needs the exit status, do not wait for it
                self.worker.request({"op": "release", "pid": pid})
                return ""
            status = self.worker.request({"op": "reap", "pid": pid})["status"]
        except WorkerDied:
            return "the sandbox worker process died (it will be restarted for the next submission)"
        if status is None:
            return ""
        return describe_exit(os.waitstatus_to_exitcode(status), self.job.stderr_tail())

    def _release(self) -> None:
        self.job.remove()
