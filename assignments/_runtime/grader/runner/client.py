"""The plain subprocess runner: student code in a child ``python -m grader.runner.child``.

No sandbox beyond a separate process, its own process group, a private job directory as cwd, a
cleaned environment (no course secret leaks through it) and a cap on the files it writes; the
hardened equivalent is ``grader.runner.sandbox.SandboxRunner``. Students use this one for their
local ``check``. Stdlib + numpy only.

    with StudentProcess("submissions/alice") as student:
        out, cache = student.call("layers", "affine_forward", x, w, b, keep=(1,))
        dx, dw, db = student.call("layers", "affine_backward", dout, cache)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from grader.runner.jobdir import JobDir
from grader.runner.protocol import (Call, Handle, ProtocolError, StudentError,  # noqa: F401
                                    read_frame, widen_pipe, write_frame)
from grader.runner.session import WALL_FACTOR, PipeSession

#: Largest file the child may write (its stdout/stderr files included).
DEFAULT_FSIZE = 64 * 1024 * 1024


def child_environment() -> dict[str, str]:
    """The environment of a student process: just enough to run Python and find ``grader``."""
    import grader

    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(grader.__file__)))
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": "/nonexistent",
        "PYTHONPATH": package_parent,
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


#: CPU seconds a plain child may use beyond the submission's CPU budget before the kernel
#: stops it (RLIMIT_CPU): a backstop for a child whose grader died before it could kill it.
CPU_MARGIN_S = 5
#: Wall-clock seconds a fresh child may take to start serving (a loaded machine is slow).
START_TIMEOUT_S = 60.0


class StudentProcess(PipeSession):
    """A Runner (see docs/ARCHITECTURE.md) over a plain child process."""

    def __init__(self, submission_dir: str | os.PathLike, *, call_timeout_s: float = 10.0,
                 total_timeout_s: float = 120.0, wall_factor: float = WALL_FACTOR,
                 fsize: int = DEFAULT_FSIZE, stdout_cap: int = 1 << 20, python: str | None = None):
        """Budgets in CPU seconds (call_timeout_s per call, total_timeout_s per submission),
        with a wall-clock backstop of wall_factor times each (grader.runner.session)."""
        super().__init__(submission_dir, call_timeout_s=call_timeout_s,
                         total_timeout_s=total_timeout_s, wall_factor=wall_factor)
        if not os.path.exists(self.submission_dir):
            raise FileNotFoundError(self.submission_dir)
        self.fsize = int(fsize)
        self.stdout_cap = int(stdout_cap)
        self.python = python or sys.executable
        self.job = JobDir(self.submission_dir)
        self._proc: subprocess.Popen | None = None

    def _spawn(self, first_id: int) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        out_fd, err_fd = self.job.open_outputs()
        flags = ["-P"] if sys.version_info >= (3, 11) else []
        argv = [self.python, *flags, "-m", "grader.runner.child",
                "--fd-in", str(to_child_r), "--fd-out", str(from_child_w),
                "--submission", self.job.work, "--fsize", str(self.fsize),
                "--stdout-cap", str(self.stdout_cap), "--first-id", str(first_id),
                "--cpu-s", str(int(self.total_timeout_s) + CPU_MARGIN_S)]
        try:
            self._proc = subprocess.Popen(
                argv, cwd=self.job.work, env=child_environment(), stdin=subprocess.DEVNULL,
                stdout=out_fd, stderr=err_fd, pass_fds=(to_child_r, from_child_w),
                start_new_session=True, close_fds=True)
        finally:
            for fd in (to_child_r, from_child_w, out_fd, err_fd):
                os.close(fd)
        self._fd_to, self._fd_from = to_child_w, from_child_r
        widen_pipe(self._fd_from)
        os.set_blocking(self._fd_to, False)  # writes wait with a deadline (protocol.write_frame)
        os.set_inheritable(self._fd_to, False)
        os.set_inheritable(self._fd_from, False)
        self._await_start()

    def _await_start(self) -> None:
        """Wait until the child serves (interpreter and numpy loaded, no student module yet), so
        its start-up is not charged to the student's first call. A child that does not answer
        a ping in time is left alone: its first call then fails in the usual way."""
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            write_frame(self._fd_to, {"op": "ping"}, deadline=deadline)
            read_frame(self._fd_from, deadline=deadline)
        except ProtocolError:
            pass

    def _child_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _kill(self) -> None:
        if self._proc is None:
            return
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _wait_exit(self, seconds: float) -> None:
        if self._proc is not None:
            try:
                self._proc.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                pass

    def _reap(self) -> str:
        if self._proc is None:
            return ""
        code = self._proc.wait()
        self._proc = None
        return describe_exit(code, self.job.stderr_tail())

    def _release(self) -> None:
        self.job.remove()


def describe_exit(returncode: int, stderr_tail: str) -> str:
    """Words for how a child ended: 'exit status 3', 'killed by signal SIGKILL', plus stderr."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        how = f"killed by signal {name}"
    else:
        how = f"exit status {returncode}"
    if stderr_tail:
        how += f"; its stderr ended with: {stderr_tail[-800:]}"
    return how

