"""The CPU hog of `make stress-test` is bounded: it works, and it stops by itself."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cpu_hog import start_hog, stop_hog

TESTS = Path(__file__).resolve().parent


def _gone(pid: int) -> bool:
    """The process has exited (absent, or a zombie waiting for its new parent to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_the_hog_burns_cpu_and_stops_when_its_time_is_up():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    hog = start_hog(2, 2.0)
    try:
        codes = [p.wait(timeout=120) for p in hog]   # no stop_hog: they end by themselves
    finally:
        stop_hog(hog)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert codes == [0, 0]
    assert after.ru_utime - before.ru_utime > 0.05, "the hog did not spin"


def test_the_hog_stops_when_the_process_that_started_it_is_gone():
    parent = (f"import sys; sys.path.insert(0, {str(TESTS)!r})\n"
              "from cpu_hog import start_hog\n"
              "hog = start_hog(2, 600)\n"
              "print(' '.join(str(p.pid) for p in hog), flush=True)\n")   # exits without stopping
    out = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True,
                         timeout=120).stdout
    pids = [int(pid) for pid in out.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 120
    while not all(map(_gone, pids)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(map(_gone, pids)), f"hog processes {pids} outlived their parent"


def test_stop_hog_ends_it_early():
    hog = start_hog(1, 600)
    started = time.monotonic()
    stop_hog(hog)
    assert hog[0].returncode is not None and time.monotonic() - started < 60


def test_a_hog_needs_processes_and_time():
    with pytest.raises(ValueError):
        start_hog(0, 10)
    with pytest.raises(ValueError):
        start_hog(2, 0)
