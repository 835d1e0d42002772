"""The sandbox worker: a fresh process that forks one confined child per submission.

Started by the grader as ``python -m grader.runner.worker --sock FD --config JSON`` with a clean
environment (``OPENBLAS_NUM_THREADS=1`` set before numpy is imported). It imports numpy, the
child server and the confinement layers, never checks, references or secrets: whatever a forked
child inherits from its memory is harmless.

Control messages (JSON over a SOCK_SEQPACKET socket, file descriptors by SCM_RIGHTS):
  {"op": "spawn", "work": dir, "first_id": n, "fsize": n} + fds [req_r, resp_w, out, err]
      -> {"pid": pid}; the child then talks to the grader directly over those pipes, sending a
         ready frame {"ready": true, "layers": {...}} once confined, or exiting with status 71
         and "sandbox setup failed: ..." on stderr (before any student code ran); with a scratch
         tmpfs (grader.runner.scratch) the child runs in a copy of `work` made there
  {"op": "reap", "pid": pid} -> {"status": wait status} (the grader killed it first)
  {"op": "release", "pid": pid} -> {} (a child closed normally: killed now, reaped later)
  {"op": "bench", "n": n, "work": dir} -> timings of bare fork+wait vs a full sandboxed child
  {"op": "info"} -> the layers this worker applies (Landlock ABI, seccomp, job quota)

The worker never outlives the grader: when its socket closes, or its parent (the grader, pid
``grader_pid`` in the config) is gone, it SIGKILLs every child it has not reaped, then exits.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import select
import socket
import sys
import sysconfig
import time

from grader.runner import landlock, limits as proc_limits, seccomp_filter
from grader.runner.scratch import Scratch
from grader.runner.child import (Server, capped_streams, die_with_parent, prepare_process,
                                 serve_until_broken)
from grader.runner.protocol import read_frame, write_frame

SETUP_FAILED = 71


def read_paths() -> list[str]:
    """What a child may read besides its job dir and /proc/self (opened once in the worker): the
    interpreter, the standard library (with lib-dynload), numpy and the libraries its wheel
    bundles, system libraries. Not the rest of site-packages, not the virtualenv, not the
    course checkout the grader runs from."""
    import numpy

    base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix,
                                     "installed_base": sys.base_prefix,
                                     "installed_platbase": sys.base_exec_prefix})
    numpy_dir = os.path.dirname(numpy.__file__)
    paths = {base["stdlib"], base["platstdlib"], os.path.join(base["platstdlib"], "lib-dynload"),
             os.path.realpath(sys.executable), numpy_dir, numpy_dir + ".libs",
             "/usr/lib", "/usr/lib64", "/lib", "/lib64", "/dev/urandom"}
    return sorted(p for p in paths if os.path.exists(p))


class Worker:
    """State of the worker process: config, the prebuilt seccomp filter, reaped statuses."""

    def __init__(self, config: dict):
        self.limits = proc_limits.Limits(**config.get("limits", {}))
        self.use_landlock = bool(config.get("landlock", True)) and landlock.abi_version() > 0
        self.use_seccomp = bool(config.get("seccomp", True)) and seccomp_filter.available()
        self.filter = (seccomp_filter.PreparedFilter(seccomp_filter.compile_static())
                       if self.use_seccomp else None)
        self.read_paths = read_paths()
        self.rules = landlock.Rules(self.read_paths) if self.use_landlock else None
        self.stdout_cap = int(config.get("stdout_cap", 1 << 20))
        self.streams = capped_streams(self.stdout_cap)  # bound to fds 1 and 2 of each child
        self.nproc_base = proc_limits.count_user_processes()
        self.is_root = os.geteuid() == 0
        self.userns = bool(config.get("userns", False))
        self.scratch: Scratch | None = None
        self.scratch_error = "" if config.get("scratch") else "no user namespace"
        if config.get("scratch"):  # only set with userns: this process has its own mount namespace
            spec = config["scratch"]
            try:
                self.scratch = Scratch(spec["path"], size_bytes=int(spec["bytes"]),
                                       files=int(spec["files"]))
            except OSError as exc:
                self.scratch_error = str(exc)
        self.statuses: dict[int, int] = {}
        self.released: set[int] = set()
        self.children: set[int] = set()  # forked and not reaped yet
        self.grader_pid = int(config.get("grader_pid") or os.getppid())
        # Everything allocated so far is shared with every child; keep the garbage collector from
        # touching (and so copying) those pages in each child.
        gc.freeze()

    # -- the confined child ----------------------------------------------------------------------

    def confine(self, work: str, fsize: int | None = None) -> dict:
        """Apply every layer to the calling (just forked) process; return what is active.
        ``fsize``: a lower file-size limit for this child (its share of the output budget)."""
        os.chdir(work)
        limits = self.limits
        if fsize is not None and 0 < int(fsize) < limits.fsize_bytes:
            limits = dataclasses.replace(limits, fsize_bytes=int(fsize))
        proc_limits.set_rlimits(limits, self.nproc_base)
        drop = self.is_root and proc_limits.can_drop_capabilities()
        if drop:
            proc_limits.drop_capabilities()
        proc_limits.set_no_new_privs()
        layers = {"rlimits": True, "no_new_privs": True, "capabilities_dropped": drop,
                  "userns": self.userns, "job_quota": self.scratch is not None}
        # /proc/self is opened in the child, so that it names the child, not the worker
        layers["landlock"] = self.rules.restrict([work, "/dev/null"], ["/proc/self"]) if self.rules else 0
        if self.rules:
            self.rules.close()
        if self.use_seccomp:
            self.filter.load(os.getpid())
        layers["seccomp"] = self.use_seccomp
        return layers

    def set_up_child(self, sock: socket.socket, request: dict, fds: list[int]) -> tuple[int, int, dict]:
        """In the just-forked child: its own session, death with the worker, the job's streams,
        every other fd closed, every isolation layer; returns (req_r, resp_w, layers)."""
        req_r, resp_w, out_fd, err_fd = fds
        os.setsid()
        die_with_parent()
        sock.close()
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        previous = -1
        keep = {0, 1, 2, req_r, resp_w, *(self.rules.fds if self.rules else ())}
        for fd in sorted(keep) + [1 << 20]:
            if fd > previous + 1:  # an empty range may close everything above it in CPython
                os.closerange(previous + 1, fd)  # the worker's socket, anything inherited
            previous = fd
        layers = self.confine(request["work"], request.get("fsize"))
        prepare_process(streams=self.streams)
        return req_r, resp_w, layers

    def child_main(self, sock: socket.socket, request: dict, fds: list[int]) -> None:
        """Runs in the forked child; never returns."""
        code = SETUP_FAILED
        try:
            req_r, resp_w, layers = self.set_up_child(sock, request, fds)
            write_frame(resp_w, {"ready": True, "layers": layers})
        except BaseException as exc:  # noqa: BLE001 - report our own failure, then exit
            try:
                os.write(2, f"sandbox setup failed: {type(exc).__name__}: {exc}\n".encode())
            finally:
                os._exit(code)
        try:
            code = serve_until_broken(Server(request["work"], first_id=int(request.get("first_id", 1))),
                                      req_r, resp_w)
        finally:
            os._exit(code)

    # -- the control loop --------------------------------------------------------------------------

    def spawn(self, sock: socket.socket, request: dict, fds: list[int]) -> dict:
        if len(fds) != 4:
            for fd in fds:
                os.close(fd)
            return {"error": "spawn needs 4 file descriptors"}
        folder = None
        if self.scratch is not None:
            self.settle_released()  # their scratch folders go before a new one is made
            try:
                folder = self.scratch.folder_for(request["work"])
            except OSError as exc:
                for fd in fds:
                    os.close(fd)
                return {"error": f"cannot make the job folder on the scratch tmpfs: {exc}"}
            request = {**request, "work": folder}
        pid = os.fork()
        if pid == 0:
            self.child_main(sock, request, fds)
        self.children.add(pid)
        if folder is not None:
            self.scratch.adopt(pid, folder)
        for fd in fds:
            os.close(fd)
        return {"pid": pid}

    def reap(self, pid: int) -> dict:
        """Kill (if still alive) and wait for one child; its wait status."""
        if pid not in self.statuses:
            _kill_group(pid)  # the grader killed it already; make sure, then a blocking wait is safe
            try:
                self.statuses[pid] = os.waitpid(pid, 0)[1]
            except ChildProcessError:
                return {"status": None}
            finally:
                self.forget(pid)
        return {"status": self.statuses.pop(pid)}

    def release(self, pid: int) -> dict:
        """The grader no longer needs this child's status: kill it, reap it later."""
        _kill_group(pid)
        self.statuses.pop(pid, None)
        self.released.add(pid)
        return {}

    def forget(self, pid: int) -> None:
        """A reaped child's scratch folder goes."""
        self.children.discard(pid)
        if self.scratch is not None:
            self.scratch.remove(pid)

    def settle_released(self) -> None:
        """Wait for the released children (already SIGKILLed) so their folders can go."""
        for pid in list(self.released):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            self.released.discard(pid)
            self.forget(pid)

    def collect_zombies(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if not pid:
                return
            self.forget(pid)
            if pid in self.released:
                self.released.discard(pid)
            else:
                self.statuses[pid] = status

    def kill_children(self) -> None:
        """SIGKILL every child not reaped yet (the grader is gone: nobody will ask for them)."""
        for pid in list(self.children):
            _kill_group(pid)

    def grader_alive(self) -> bool:
        return os.getppid() == self.grader_pid

    def wait_for_request(self, sock: socket.socket, poll_s: float = 0.5) -> bool:
        """Block until a request arrives; False once the grader process is gone."""
        while True:
            try:
                ready, _, _ = select.select([sock], [], [], poll_s)
            except InterruptedError:
                continue
            if ready:
                return True
            if not self.grader_alive():
                return False

    def serve(self, sock: socket.socket) -> None:
        """Answer control messages until the grader closes the socket or dies; then kill every
        child not yet reaped (even one that cleared its parent-death signal)."""
        try:
            self._serve(sock)
        finally:
            self.kill_children()

    def _serve(self, sock: socket.socket) -> None:
        while True:
            if not self.wait_for_request(sock):
                return
            try:
                data, fds, _, _ = socket.recv_fds(sock, 1 << 16, 8)
            except OSError:
                return
            if not data:
                return
            request = json.loads(data)
            op = request.get("op")
            if op == "spawn":
                reply = self.spawn(sock, request, fds)
            elif op == "reap":
                reply = self.reap(int(request["pid"]))
            elif op == "release":
                reply = self.release(int(request["pid"]))
            elif op == "bench":
                from grader.runner.bench import worker_bench
                reply = worker_bench(self, sock, request)
            elif op == "info":
                reply = {"landlock": landlock.abi_version() if self.use_landlock else 0,
                         "seccomp": self.use_seccomp, "pid": os.getpid(),
                         "job_quota": self.scratch is not None,
                         "job_quota_error": self.scratch_error}
            else:
                reply = {"error": f"unknown op {op!r}"}
            sock.send(json.dumps(reply).encode())
            self.collect_zombies()


def _kill_group(pid: int) -> None:
    for target in (lambda: os.killpg(pid, 9), lambda: os.kill(pid, 9)):
        try:
            target()
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fork sandboxed children that run student code")
    parser.add_argument("--sock", type=int, required=True)
    parser.add_argument("--config", default="{}")
    args = parser.parse_args(argv)
    os.chdir("/")
    sock = socket.socket(fileno=args.sock)
    config = json.loads(args.config)
    if config.get("grader_pid") and os.getppid() != int(config["grader_pid"]):
        return 0  # the grader died while this worker started
    Worker(config).serve(sock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
