"""CPU time of a student process, read from outside it (the grader side), never reported by it.

``ProcessClock(pid).sample()`` reads ``/proc/<pid>/stat`` (utime + stime of all its threads,
plus cutime + cstime of the children it has waited for) and ``/proc/<pid>/schedstat`` (the
time its main thread spent runnable but waiting for a CPU). The student's process cannot
change either number: the kernel keeps them. A process whose pid was reused (its start time
changed) or that is gone reads as None.

``overloaded(waited_s, wall_s)`` says whether a process was starved of CPU over a window: it
waited for a CPU for at least a quarter of it. Where schedstat is missing, the machine's
1-minute load average above its core count stands in (``machine_overloaded``, also what the
batch driver asks about a submission that outlived its wall-clock backstop).

Stdlib only (it ships to students with the plain runner).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
#: A process that waited for a CPU this fraction of a window was starved, not slow.
STARVED_FRACTION = 0.25


@dataclass(frozen=True)
class Sample:
    cpu_s: float              # user + system CPU seconds (threads and waited-for children)
    waited_s: float | None    # seconds runnable but not running (None: schedstat unavailable)


class ProcessClock:
    """The kernel's CPU accounting of one process, identified by pid and start time."""

    def __init__(self, pid: int):
        self.pid = int(pid)
        self._start: str | None = None

    def sample(self) -> Sample | None:
        try:
            with open(f"/proc/{self.pid}/stat", "rb") as handle:
                text = handle.read()
        except OSError:
            return None
        try:
            fields = text[text.rindex(b")") + 2:].split()  # fields[0] is field 3 (state)
            start = fields[19].decode()
            ticks = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
        except (ValueError, IndexError):
            return None
        if self._start is None:
            self._start = start
        elif start != self._start:  # the pid now names another process
            return None
        return Sample(ticks / CLOCK_TICKS, waited_s(self.pid))


def waited_s(pid: int | str) -> float | None:
    """Seconds the main thread of ``pid`` ("self": this process) spent runnable, waiting for a
    CPU; None where the kernel does not say."""
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as handle:
            return int(handle.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def machine_overloaded() -> bool:
    """More runnable work than cores: the 1-minute load average above the core count."""
    try:
        return os.getloadavg()[0] > (os.cpu_count() or 1)
    except OSError:
        return False


def overloaded(waited_s: float | None, wall_s: float) -> bool:
    """Was a process starved of CPU during a window of ``wall_s`` in which it waited ``waited_s``
    for a CPU (None: unknown, judged by the load average)?"""
    if waited_s is not None:
        return waited_s >= STARVED_FRACTION * wall_s
    return machine_overloaded()
