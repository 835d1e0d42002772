"""Running student code in another process: protocol, child server, plain and sandboxed runners.

The names checks use: ``Handle``, ``Call``, ``StudentError`` (from ``protocol``), the plain
``StudentProcess`` runner (``client``) and ``make_runner_factory`` to choose a runner kind.
This package's ``__init__`` stays light: the child process imports it too.
"""

from __future__ import annotations

from typing import Any, Callable

from grader.runner.protocol import ERROR_KINDS, Call, Handle, StudentError

__all__ = ["Call", "ERROR_KINDS", "Handle", "StudentError", "StudentProcess", "make_runner_factory"]


def __getattr__(name: str) -> Any:
    if name == "StudentProcess":
        from grader.runner.client import StudentProcess
        return StudentProcess
    raise AttributeError(name)


def make_runner_factory(kind: str = "sandbox", **limits: Any) -> Callable[[str], Any]:
    """Return ``factory(submission_dir) -> Runner`` for ``kind`` "sandbox" or "subprocess".

    ``limits`` go to the runner (call_timeout_s, total_timeout_s, and for the sandbox
    memory_bytes, cpu_s, ...).
    """
    if kind == "subprocess":
        from grader.runner.client import StudentProcess

        def factory(submission_dir):
            return StudentProcess(submission_dir, **limits)
        return factory
    if kind == "sandbox":
        from grader.runner.sandbox import sandbox_factory
        return sandbox_factory(**limits)
    raise ValueError(f"unknown runner kind {kind!r} (expected 'sandbox' or 'subprocess')")
