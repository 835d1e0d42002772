"""The grader's side of the protocol: calls over two pipes, budgets, failures as StudentErrors.

``PipeSession`` implements the Runner interface of docs/ARCHITECTURE.md (``call``,
``call_many``, ``close``, context manager) for any way of starting a child process that serves
``grader.runner.child``; subclasses say how to start (``_spawn``), kill and reap it and which
pid it has. A child that dies, breaks the protocol or overruns a budget is killed (its whole
process group) and the call becomes ``StudentError('crashed'|'timeout'|'bad_return', ...)``;
the next call starts a fresh child (Handles from the old one are then reported as gone), until
the submission's budget is spent.

Time budgets are CPU time, measured from outside the child by the kernel's accounting
(``grader.runner.cputime``: utime + stime of its threads and reaped children), never reported
by the child: ``call_timeout_s`` CPU seconds per call, ``total_timeout_s`` summed over the
submission's calls. A wall-clock backstop of ``wall_factor`` times each (5x by default) stops a
call that sleeps or blocks; a call that reaches it while it was starved of CPU (it waited for a
CPU at least a quarter of the time: the machine is overloaded) gets a second window once before
it counts. The message says which budget ran out. Starting children and the grader's own work
between calls are never charged. A function that timed out is not run again for that
submission (its later calls fail at once with 'timeout'), so a hanging function costs one call
budget, not the whole submission's.

Bytes are budgeted too: one reply may carry at most ``max_return_bytes`` (256 MiB) of arrays
and ``REPLY_HEADER_BYTES`` of header, one round trip (``call_many``) at most
``round_trip_bytes`` and the whole submission at most ``submission_bytes`` (384 MiB): a frame
announcing more is refused before its bytes are read and the call is 'bad_return'. So the
values a submission can make the grader hold never exceed ``submission_bytes`` plus decoded
headers, however many calls return big arrays.

Stdlib + numpy only (it ships to students for their local ``check``).
"""

from __future__ import annotations

import os
import time
from typing import Any

from grader.runner.cputime import ProcessClock, overloaded, waited_s
from grader.runner.protocol import (
    Call, EncodeError, FrameTooLarge, PeerClosed, ProtocolError, ReadTimeout, StudentError,
    read_frame_sized, write_frame,
)

#: How many fresh children one submission may get after crashes or timeouts.
MAX_RESTARTS = 20
_IDS_PER_CHILD = 1_000_000_000
#: The wall-clock backstop, as a multiple of a CPU budget.
WALL_FACTOR = 5.0
#: Byte budgets of what the grader accepts from a child (see the module docstring).
REPLY_BYTES = 256 << 20
ROUND_TRIP_BYTES = 320 << 20
SUBMISSION_BYTES = 384 << 20
REPLY_HEADER_BYTES = 1 << 20
#: How often (seconds) a waiting grader reads the child's CPU time.
TICK_S = 0.05


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB" if n >= 1 << 20 else f"{n} bytes"


class PipeSession:
    """Base runner: ``_spawn`` must set ``self._fd_to``, ``self._fd_from`` (pipe ends to the child)."""

    def __init__(self, submission_dir: str | os.PathLike, *, call_timeout_s: float = 10.0,
                 total_timeout_s: float = 120.0, wall_factor: float = WALL_FACTOR,
                 max_return_bytes: int = REPLY_BYTES, round_trip_bytes: int = ROUND_TRIP_BYTES,
                 submission_bytes: int = SUBMISSION_BYTES):
        self.submission_dir = os.fspath(submission_dir)
        self.call_timeout_s = float(call_timeout_s)    # CPU seconds per call
        self.total_timeout_s = float(total_timeout_s)  # CPU seconds per submission
        self.wall_factor = float(wall_factor)
        self.max_return_bytes = int(max_return_bytes)
        self.round_trip_bytes = int(round_trip_bytes)
        self.submission_bytes = int(submission_bytes)
        self.used_cpu_s = 0.0   # the child's CPU time inside calls
        self.used_wall_s = 0.0  # wall-clock time inside calls (the grader's own work is not counted)
        self.received_bytes = 0  # reply bytes accepted over the submission
        self._round_trip_bytes = 0  # of the call_many in progress
        self._extra_wall_s = 0.0  # second windows granted to starved calls
        self._exhausted = ""  # "cpu" | "wall" | "bytes" once the submission's budget is spent
        self._clock: ProcessClock | None = None
        self._cpu_mark = 0.0  # the current child's CPU time when its last exchange ended
        self._waited_mark: float | None = None  # and its run-queue wait then
        self._timed_out: set[tuple[str, str]] = set()  # functions not run again after a timeout
        self._imported: set[str] = set()      # modules the current child has imported
        self._suspect: set[str] = set()       # modules whose import may be what hangs
        self._hung_imports: set[str] = set()  # modules whose import alone timed out
        self._fd_to: int | None = None
        self._fd_from: int | None = None
        self._generation = 0
        self._closed = False
        #: (kind, message) of every failure that ended a child, in order (for reports and tests).
        self.incidents: list[tuple[str, str]] = []

    # -- what subclasses provide ---------------------------------------------------------------

    def _spawn(self, first_id: int) -> None:  # pragma: no cover - abstract
        """Start a child; set ``_fd_to`` (non-blocking) and ``_fd_from``."""
        raise NotImplementedError

    def _kill(self) -> None:  # pragma: no cover - abstract
        """Kill the child's whole process group (idempotent)."""
        raise NotImplementedError

    def _reap(self) -> str:  # pragma: no cover - abstract
        """Wait for the killed/dead child; return words on how it ended plus its stderr tail."""
        raise NotImplementedError

    def _child_pid(self) -> int | None:  # pragma: no cover - abstract
        """The pid of the current child, as this process sees it (for its CPU time)."""
        raise NotImplementedError

    def _release(self) -> None:
        """Free per-submission resources (job dir) after the last child."""

    # -- Runner interface ----------------------------------------------------------------------

    def call(self, module: str, function: str, *args: Any, keep: tuple[int, ...] = (),
             **kwargs: Any) -> Any:
        """Run ``module.function(*args, **kwargs)`` in the child; raise StudentError on failure."""
        result = self.call_many([Call(module, function, args, kwargs, tuple(keep))])[0]
        if isinstance(result, StudentError):
            raise result
        return result

    def call_many(self, calls: list[Call]) -> list[Any]:
        """Run ``calls`` in order in one round trip; each entry is a value or a StudentError
        (naming the function of its call)."""
        results = self._call_many(calls)
        for call, result in zip(calls, results):
            if isinstance(result, StudentError) and result.function is None:
                result.function = call.function
        return results

    def _call_many(self, calls: list[Call]) -> list[Any]:
        if self._closed:
            raise RuntimeError("runner is closed")
        if not calls:
            return []
        if self._budget_spent():
            return [self._out_of_budget() for _ in calls]
        results: list[Any] = [self._blocked(call) for call in calls]
        pending = [i for i, result in enumerate(results) if result is None]
        if not pending:
            return results
        self._round_trip_bytes = 0
        self._probe_suspect_imports({calls[i].module for i in pending})
        for index in pending:
            results[index] = self._blocked(calls[index])
        pending = [i for i in pending if results[i] is None]
        if pending and self._budget_spent():
            for index in pending:
                results[index] = self._out_of_budget()
            pending = []
        if pending and not self._ensure_child():
            for index in pending:
                results[index] = StudentError("crashed", "the student process failed too many "
                                                         "times; no further calls are run")
            pending = []
        if pending:
            for index, result in zip(pending, self._run([calls[i] for i in pending])):
                results[index] = result
        return results

    def _budget_spent(self) -> bool:
        if not self._exhausted:
            if self.used_cpu_s >= self.total_timeout_s:
                self._exhausted = "cpu"
            elif self.used_wall_s >= self._total_wall_s():
                self._exhausted = "wall"
        return bool(self._exhausted)

    def _total_wall_s(self) -> float:
        return self.wall_factor * self.total_timeout_s + self._extra_wall_s

    def _ensure_child(self) -> bool:
        """Start a child if there is none; False once the restart limit is reached. Starting
        it (interpreter, numpy, confinement) is not the student's time."""
        if self._fd_to is None:
            if self._generation > MAX_RESTARTS:
                return False
            self._generation += 1
            self._spawn(self._generation * _IDS_PER_CHILD)
            self._imported = set()
            pid = self._child_pid()
            self._clock = ProcessClock(pid) if pid else None
            first = self._clock.sample() if self._clock else None
            self._cpu_mark = first.cpu_s if first else 0.0
            self._waited_mark = first.waited_s if first else None
        return True

    def _blocked(self, call: Call) -> StudentError | None:
        """The immediate answer for a call not worth running again, else None."""
        if call.module in self._hung_imports:
            return StudentError("timeout", f"importing {call.module}.py did not finish within its "
                                           f"budget ({self.call_timeout_s:g} s of CPU time, "
                                           f"{self.wall_factor * self.call_timeout_s:g} s of "
                                           f"wall-clock time); {call.function} was not run")
        if (call.module, call.function) in self._timed_out:
            return StudentError("timeout", f"{call.module}.{call.function} was not run again: "
                                           "it timed out earlier")
        return None

    def _probe_suspect_imports(self, modules: set[str]) -> None:
        """A module whose call timed out before its import was ever confirmed may hang at import:
        import it alone first, so a hanging import costs one more timeout, not one per function."""
        for module in sorted((modules & self._suspect) - self._imported):
            if not self._ensure_child():
                return
            probe = self._run([Call(module, "")], import_only=True)[0]
            if isinstance(probe, StudentError) and probe.kind == "timeout":
                self._hung_imports.add(module)
            self._suspect.discard(module)

    def _run(self, calls: list[Call], *, import_only: bool = False) -> list[Any]:
        known = set(self._imported)
        results = self._exchange(calls, import_only)
        answered = {call.module for call, result in zip(calls, results)  # from inside the module
                    if not (isinstance(result, StudentError) and result.kind in ("timeout", "crashed"))}
        for call, result in zip(calls, results):
            if (isinstance(result, StudentError) and result.kind == "timeout"
                    and call.module not in known | answered):
                self._suspect.add(call.module)
        if self._fd_to is not None:  # the same child lives on
            self._imported |= answered
        return results

    def _exchange(self, calls: list[Call], import_only: bool) -> list[Any]:
        """Send the calls in one request, read one answer per call (within the budgets)."""
        results: list[Any] = []
        request = {"op": "call", "calls": [
            {"module": c.module, "function": c.function, "args": list(c.args),
             "kwargs": dict(c.kwargs), "keep": list(c.keep), "import_only": import_only}
            for c in calls]}
        watch = _Watch(self)
        try:
            try:
                write_frame(self._fd_to, request, deadline=watch)
            except EncodeError:
                raise  # our own bad argument: fail loudly
            except ReadTimeout:
                kind, message = self._overrun(watch, None)
                return self._fail_rest(calls, results, kind,
                                       "the student process stopped reading its requests and was "
                                       f"stopped ({message})")
            except OSError:
                return self._fail_rest(calls, results, "crashed", "the student process died before the call")
            for call in calls:
                watch.next_call()
                try:
                    response, size = read_frame_sized(
                        self._fd_from, deadline=watch, max_header_bytes=REPLY_HEADER_BYTES,
                        max_total_bytes=self._bytes_left())
                    self.received_bytes += size
                    self._round_trip_bytes += size
                    results.append(self._accept(call, response))
                except ReadTimeout as exc:
                    self.received_bytes += getattr(exc, "frame_bytes", 0)  # cut off mid-reply
                    kind, message = self._overrun(watch, call)
                    return self._fail_rest(calls, results, kind, message)
                except FrameTooLarge as exc:
                    return self._fail_rest(calls, results, "bad_return", self._too_large(call, exc))
                except PeerClosed as exc:
                    self.received_bytes += getattr(exc, "frame_bytes", 0)
                    return self._fail_rest(calls, results, "crashed",
                                           f"the student process ended during {call.module}.{call.function}")
                except ProtocolError as exc:
                    return self._fail_rest(calls, results, "crashed",
                                           f"{call.module}.{call.function} sent back garbage ({exc}); "
                                           "the student process was stopped")
            return results
        finally:
            watch.charge()

    def _bytes_left(self) -> int:
        return max(0, min(self.max_return_bytes, self.round_trip_bytes - self._round_trip_bytes,
                          self.submission_bytes - self.received_bytes))

    def _too_large(self, call: Call, exc: FrameTooLarge) -> str:
        label = f"{call.module}.{call.function}"
        if exc.cap >= self.max_return_bytes or exc.cap == REPLY_HEADER_BYTES:
            return (f"{label} returned {_mib(exc.size)}, more than the {_mib(exc.cap)} one call may "
                    "return; the student process was stopped")
        if self.submission_bytes - self.received_bytes <= exc.cap:
            self._exhausted = "bytes"
            return (f"{label} returned {_mib(exc.size)}, past the {_mib(self.submission_bytes)} "
                    "the whole submission may return (the grader accepts no more from it); "
                    "the student process was stopped")
        return (f"{label} returned {_mib(exc.size)}, past the {_mib(self.round_trip_bytes)} one "
                "batch of calls may return; the student process was stopped")

    def _overrun(self, watch: "_Watch", call: Call | None) -> tuple[str, str]:
        """(kind, message) for a call stopped by one of its budgets (``watch.reason``)."""
        label = f"{call.module}.{call.function}" if call is not None else "the call"
        if watch.reason in ("total_cpu", "total_wall"):
            self._exhausted = watch.reason[6:]
            return "timeout", self._out_of_budget().message
        if call is not None:
            self._timed_out.add((call.module, call.function))
        if watch.reason == "cpu":
            return "timeout", (f"{label} used more than {self.call_timeout_s:g} s of CPU time (the "
                               "budget of one call) and was stopped")
        why = ("it waited for a CPU most of that time (the machine was overloaded), also in the "
               "second window it was given" if watch.extended else "so it was sleeping, blocked or "
               "waiting")
        return "timeout", (f"{label} did not finish within {watch.window_s:g} s of wall-clock time "
                           f"and was stopped; it used {watch.call_cpu_s():.2f} s of its "
                           f"{self.call_timeout_s:g} s CPU budget, {why}")

    def drop(self, *handles: Any) -> None:
        """Let the child forget kept values (optional; all are freed on close)."""
        if self._fd_to is not None and handles:
            try:
                write_frame(self._fd_to, {"op": "drop", "ids": [h.id for h in handles]},
                            deadline=time.monotonic() + self.call_timeout_s)
            except (OSError, ReadTimeout):
                pass  # a child that stops reading fails its next call instead

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._fd_to is not None:
            try:
                write_frame(self._fd_to, {"op": "exit"}, deadline=time.monotonic() + 0.5)
            except (OSError, ReadTimeout):
                pass
            self._stop_child(graceful=True)
        self._release()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    # -- internals -----------------------------------------------------------------------------

    def _accept(self, call: Call, response: Any) -> Any:
        if type(response) is not dict or type(response.get("ok")) is not bool:
            raise ProtocolError("malformed response")
        if not response["ok"]:
            kind, message = response.get("kind"), response.get("message")
            if kind not in ("not_implemented", "exception", "missing", "bad_return",
                            "import_error", "crashed") or type(message) is not str:
                raise ProtocolError("malformed error response")
            return StudentError(kind, message[:2000])
        for key, originals in (("args", call.args), ("kwargs", call.kwargs)):
            changed = response.get(key) or {}
            if type(changed) is not dict:
                raise ProtocolError("malformed dict update")
            for name, new in changed.items():
                target = _lookup(originals, name)
                if type(target) is dict and type(new) is dict:
                    target.clear()
                    target.update(new)
        return response.get("value")

    def _fail_rest(self, calls: list[Call], results: list[Any], kind: str, message: str) -> list[Any]:
        how = self._stop_child(graceful=False)
        detail = f"{message}{'; ' + how if how else ''}"
        self.incidents.append((kind, detail))
        results.append(StudentError(kind, detail))
        while len(results) < len(calls):
            results.append(StudentError(kind, f"not run: an earlier call in the same batch failed ({message})"))
        return results

    def _stop_child(self, *, graceful: bool) -> str:
        """End the current child (after an ``exit`` request when graceful); return how it ended."""
        if graceful:
            self._wait_exit(0.5)
        self._kill()
        how = self._reap()
        for fd in (self._fd_to, self._fd_from):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._fd_to = self._fd_from = None
        self._imported = set()
        self._clock = None
        return how

    def _wait_exit(self, seconds: float) -> None:
        """Give a child asked to exit up to ``seconds`` to do so (subclasses may override)."""

    def _out_of_budget(self) -> StudentError:
        # function "": no single function to blame, the whole submission ran out of its budget
        if self._exhausted == "bytes":
            return StudentError("bad_return", f"the submission's functions returned more than the "
                                              f"{_mib(self.submission_bytes)} the grader accepts "
                                              "from one submission; remaining calls were not run",
                                function="")
        if self._exhausted == "wall":
            return StudentError("timeout", f"the submission's calls ran for {self._total_wall_s():g} s "
                                           "of wall-clock time, the backstop of a submission whose "
                                           f"total CPU budget is {self.total_timeout_s:g} s (its "
                                           "functions sleep or block); remaining calls were not run",
                                function="")
        return StudentError("timeout", f"the submission used up its total time budget of "
                                       f"{self.total_timeout_s:g} s of CPU time; remaining calls "
                                       "were not run", function="")


def _lookup(originals: Any, name: str) -> Any:
    if isinstance(originals, dict):
        return originals.get(name)
    try:
        return originals[int(name)]
    except (ValueError, IndexError, TypeError):
        return None


def _own_waited() -> float | None:
    """Seconds this process's main thread has waited for a CPU (a starved grader reads a
    reply slowly, and the child then blocks on the full pipe: not the student's fault)."""
    return waited_s("self")


class _Watch:
    """The deadline of one exchange (protocol.read_frame calls it between waits): the seconds
    left before a budget runs out, reading the child's CPU time at most every ``TICK_S``.
    ``reason`` says which ran out: "cpu" | "wall" (the call's) | "total_cpu" | "total_wall".
    CPU time the child used since its previous exchange ended (a thread it left running) is
    charged here too: it is the student's process."""

    def __init__(self, session: PipeSession):
        self.session = session
        self.clock = session._clock
        self.reason = ""
        self.start_wall = time.monotonic()
        self.start_cpu = self.cpu = session._cpu_mark
        self.waited = session._waited_mark
        self.sample_at = self.start_wall + 0.01  # a quick reply costs one reading, in charge()
        self.next_call()

    def _sample(self) -> None:
        sample = self.clock.sample() if self.clock is not None else None
        if sample is not None:
            self.cpu = max(self.cpu, sample.cpu_s)
            self.waited = sample.waited_s

    def next_call(self) -> None:
        """The next call's budget starts (its reply is the next frame)."""
        self.call_wall, self.call_cpu, self.call_waited = time.monotonic(), self.cpu, self.waited
        self.own_waited: float | None = None  # from when the reply's header is in
        self.window_s = self.session.wall_factor * self.session.call_timeout_s
        self.extended = False

    def call_cpu_s(self) -> float:
        return self.cpu - self.call_cpu

    def on_header(self) -> None:
        """A reply's header is in: the call's work is done, its array bytes get a fresh wall
        window to arrive (a starved grader reads them slowly; the byte budgets bound them)."""
        self.call_wall = time.monotonic()
        self.own_waited = _own_waited()

    def _left(self, now: float) -> dict[str, float]:
        s = self.session
        return {"cpu": s.call_timeout_s - (self.cpu - self.call_cpu),
                "total_cpu": s.total_timeout_s - s.used_cpu_s - (self.cpu - self.start_cpu),
                "wall": self.window_s - (now - self.call_wall),
                "total_wall": s._total_wall_s() - s.used_wall_s - (now - self.start_wall)}

    def __call__(self) -> float:
        now = time.monotonic()
        fresh = now >= self.sample_at
        if fresh:
            self._sample()
        left = self._left(now)
        if min(left.values()) <= 0 and not fresh:  # confirm with a fresh reading
            self._sample()
            left = self._left(now)
        if (min(left["wall"], left["total_wall"]) <= 0 and not self.extended
                and self._starved(now - self.call_wall)):
            # the machine, not the student, is slow: one more window before it counts
            self.extended = True
            extra = self.session.wall_factor * self.session.call_timeout_s
            self.window_s += extra
            self.session._extra_wall_s += extra
            left = self._left(now)
        reason, seconds = min(left.items(), key=lambda item: item[1])
        if seconds <= 0:
            self.reason = reason
            return 0.0
        wait = max(0.005, min(TICK_S, left["cpu"], left["total_cpu"]))
        if fresh:  # the next reading is due `wait` after this one, however often we are asked
            self.sample_at = now + wait
        return max(0.001, min(seconds, wait))

    def _starved(self, wall: float) -> bool:
        """Was the child, or (once a reply's header is in) this process reading the rest of
        it, kept waiting for a CPU?"""
        waited = (None if self.waited is None or self.call_waited is None
                  else self.waited - self.call_waited)
        now_own = _own_waited()
        own = None if now_own is None or self.own_waited is None else now_own - self.own_waited
        if waited is not None and own is not None:
            waited = max(waited, own)
        return overloaded(waited, wall)

    def charge(self) -> None:
        """Add this exchange's CPU and wall time to the submission's."""
        self._sample()
        s = self.session
        s.used_cpu_s += max(0.0, self.cpu - self.start_cpu)
        s.used_wall_s += time.monotonic() - self.start_wall
        s._cpu_mark, s._waited_mark = self.cpu, self.waited
