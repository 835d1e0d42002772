"""CPU time for the suite's speed assertions (a unique module name: tests/ has no packages).

A budget in CPU seconds holds on a loaded machine where a wall-clock one does not: the work a
test measures costs the same CPU whether or not other processes share the cores.
"""

from __future__ import annotations

import os
import resource
import time


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have been reaped."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a running process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
