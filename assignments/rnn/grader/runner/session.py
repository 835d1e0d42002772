"""The grader's side of the protocol: calls over two pipes, deadlines, failures as StudentErrors.

``PipeSession`` implements the Runner interface of docs/ARCHITECTURE.md (``call``,
``call_many``, ``close``, context manager) for any way of starting a child process that serves
``grader.runner.child``; subclasses say how to start (``_spawn``), kill and reap it. A child
that dies, breaks the protocol or overruns its time is killed (its whole process group) and
the call becomes ``StudentError('crashed'|'timeout', ...)``; the next call starts a fresh child
(Handles from the old one are then reported as gone), until the submission's total time is spent.
Time counts per call (``call_timeout_s``) and summed over the submission's calls
(``total_timeout_s``), in wall-clock seconds from sending a request to its last answer; the
grader's own work between calls is not charged to the student. A function that timed out once
is not run again for that submission (its later calls fail at once with 'timeout'), so a
hanging function costs one call timeout, not the whole budget.

Stdlib + numpy only (it ships to students for their local ``check``).
"""

from __future__ import annotations

import os
import time
from typing import Any

from grader.runner.protocol import (
    Call, EncodeError, PeerClosed, ProtocolError, ReadTimeout, StudentError, read_frame,
    write_frame,
)

#: How many fresh children one submission may get after crashes or timeouts.
MAX_RESTARTS = 20
_IDS_PER_CHILD = 1_000_000_000


class PipeSession:
    """Base runner: ``_spawn`` must set ``self._fd_to``, ``self._fd_from`` (pipe ends to the child)."""

    def __init__(self, submission_dir: str | os.PathLike, *, call_timeout_s: float = 10.0,
                 total_timeout_s: float = 120.0, max_return_bytes: int = 256 << 20):
        self.submission_dir = os.fspath(submission_dir)
        self.call_timeout_s = float(call_timeout_s)
        self.total_timeout_s = float(total_timeout_s)
        self.max_return_bytes = int(max_return_bytes)
        self._used_s = 0.0  # wall-clock time spent inside calls (the grader's own work is not counted)
        self._timed_out: set[tuple[str, str]] = set()  # functions not run again after a timeout
        self._spawn_s = 0.0  # time spent starting children during the call_many in progress
        self._imported: set[str] = set()      # modules the current child has imported
        self._suspect: set[str] = set()       # modules whose import may be what hangs
        self._hung_imports: set[str] = set()  # modules whose import alone timed out
        self._deadline = float("inf")  # of the call_many in progress
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
        if self._used_s >= self.total_timeout_s:
            return [self._out_of_time() for _ in calls]
        results: list[Any] = [self._blocked(call) for call in calls]
        pending = [i for i, result in enumerate(results) if result is None]
        if not pending:
            return results
        start = time.monotonic()
        self._deadline = start + self.total_timeout_s - self._used_s
        try:
            self._probe_suspect_imports({calls[i].module for i in pending})
            for index in pending:
                results[index] = self._blocked(calls[index])
            pending = [i for i in pending if results[i] is None]
            if pending and not self._ensure_child():
                for index in pending:
                    results[index] = StudentError("crashed", "the student process failed too many "
                                                             "times; no further calls are run")
                pending = []
            if pending:
                for index, result in zip(pending, self._run([calls[i] for i in pending])):
                    results[index] = result
        finally:
            self._used_s += time.monotonic() - start - self._spawn_s
            self._spawn_s = 0.0
        return results

    def _ensure_child(self) -> bool:
        """Start a child if there is none; False once the restart limit is reached."""
        if self._fd_to is None:
            if self._generation > MAX_RESTARTS:
                return False
            self._generation += 1
            spawn_start = time.monotonic()
            self._spawn(self._generation * _IDS_PER_CHILD)
            self._imported = set()
            spent = time.monotonic() - spawn_start  # starting a child is not the student's time
            self._deadline += spent
            self._spawn_s += spent
        return True

    def _blocked(self, call: Call) -> StudentError | None:
        """The immediate answer for a call not worth running again, else None."""
        if call.module in self._hung_imports:
            return StudentError("timeout", f"importing {call.module}.py did not finish within "
                                           f"{self.call_timeout_s:g} s; {call.function} was not run")
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
        """Send the calls in one request, read one answer per call (with deadlines)."""
        results: list[Any] = []
        request = {"op": "call", "calls": [
            {"module": c.module, "function": c.function, "args": list(c.args),
             "kwargs": dict(c.kwargs), "keep": list(c.keep), "import_only": import_only}
            for c in calls]}
        try:
            write_frame(self._fd_to, request,
                        deadline=min(time.monotonic() + self.call_timeout_s, self._deadline))
        except EncodeError:
            raise  # our own bad argument: fail loudly
        except ReadTimeout:
            return self._fail_rest(calls, results, "timeout", "the student process stopped reading "
                                                              "its requests and was stopped")
        except OSError:
            return self._fail_rest(calls, results, "crashed", "the student process died before the call")
        for call in calls:
            deadline = min(time.monotonic() + self.call_timeout_s, self._deadline)
            try:
                response = read_frame(self._fd_from, deadline=deadline,
                                      max_total_bytes=self.max_return_bytes)
                results.append(self._accept(call, response))
            except ReadTimeout:
                if time.monotonic() >= self._deadline:
                    error = self._out_of_time()
                    return self._fail_rest(calls, results, error.kind, error.message)
                self._timed_out.add((call.module, call.function))
                return self._fail_rest(calls, results, "timeout",
                                       f"{call.module}.{call.function} did not finish within "
                                       f"{self.call_timeout_s:g} s and was stopped")
            except PeerClosed:
                return self._fail_rest(calls, results, "crashed",
                                       f"the student process ended during {call.module}.{call.function}")
            except ProtocolError as exc:
                return self._fail_rest(calls, results, "crashed",
                                       f"{call.module}.{call.function} sent back garbage ({exc}); "
                                       "the student process was stopped")
        return results

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
        return how

    def _wait_exit(self, seconds: float) -> None:
        """Give a child asked to exit up to ``seconds`` to do so (subclasses may override)."""

    def _out_of_time(self) -> StudentError:
        # function "": no single function to blame, the whole submission ran out of time
        return StudentError("timeout", f"the submission used up its total time budget of "
                                       f"{self.total_timeout_s:g} s; remaining calls were not run",
                            function="")


def _lookup(originals: Any, name: str) -> Any:
    if isinstance(originals, dict):
        return originals.get(name)
    try:
        return originals[int(name)]
    except (ValueError, IndexError, TypeError):
        return None
