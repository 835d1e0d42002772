"""A bounded CPU hog for `make stress-test` (a unique module name: tests/ has no packages).

`start_hog(processes, seconds)` starts `processes` busy-looping children of the calling process.
Each one stops by itself: when its wall-clock `seconds` are up, when the process that started it
is gone (its parent pid changes), or at its CPU-time limit (RLIMIT_CPU, `seconds` + 5), whichever
comes first. `stop_hog` ends them early and reaps them. They run at normal priority, so the tests
beside them get a fraction of the cores as on a shared server before a deadline.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

BUSY_LOOP = """
import os, resource, sys, time
parent, seconds = int(sys.argv[1]), float(sys.argv[2])
resource.setrlimit(resource.RLIMIT_CPU, (int(seconds) + 5, int(seconds) + 6))
deadline = time.monotonic() + seconds
n = 0
while True:
    n += 1
    if n % 200000 == 0 and (time.monotonic() > deadline or os.getppid() != parent):
        break
"""


def start_hog(processes: int, seconds: float) -> list[subprocess.Popen]:
    """Start the hog (see the module docstring); returns its processes."""
    if processes < 1 or seconds <= 0:
        raise ValueError(f"a hog needs processes >= 1 and seconds > 0, not {processes}, {seconds}")
    return [subprocess.Popen([sys.executable, "-S", "-c", BUSY_LOOP, str(os.getpid()),
                              str(seconds)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
            for _ in range(processes)]  # a session each: autogroup scheduling shares CPU by session


def stop_hog(hog: list[subprocess.Popen], *, timeout: float = 10.0) -> None:
    """End every hog process still running and reap them all."""
    for process in hog:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in hog:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
