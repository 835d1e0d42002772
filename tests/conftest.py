"""For the whole suite, in the controlling pytest process (not the xdist workers):

- a test run must leave `git status` as it found it. Tests write under tmp_path; a test that
  writes into the checkout (a release over assignments/, a gradebook in grades/, a stray file)
  would leave the committed tree dirty after `make test`. The run notes `git status` before and
  fails, naming the paths, when it changed (so edit nothing in the checkout during a run);
- `--cpu-hog` (`make stress-test`) runs the suite beside a CPU hog of twice the cores
  (tests/cpu_hog.py): children of this process that stop by themselves.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from cpu_hog import start_hog, stop_hog

# One BLAS thread in every test process (set before anything imports numpy; xdist workers
# inherit it): the grading side's products are small, and OpenBLAS's extra threads only spin
# on cores the student children need (a 64x500 @ 500x100 product cost 70x the CPU of one
# thread here, and more wall time). The children get one thread from the runner already.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

REPO = Path(__file__).resolve().parents[1]
_BEFORE = pytest.StashKey[frozenset]()
_HOG = pytest.StashKey[list]()
HOG_PER_CORE = 2


def pytest_addoption(parser):
    group = parser.getgroup("grader")
    group.addoption("--cpu-hog", action="store_true",
                    help=f"run beside {HOG_PER_CORE} busy processes per core (make stress-test)")
    group.addoption("--cpu-hog-seconds", type=float, default=5400.0,
                    help="the hog stops by itself after this long (default: 5400)")


def git_status(repo: Path = REPO) -> frozenset[str] | None:
    """The lines of `git status --porcelain` (untracked files listed one by one), or None
    outside a git checkout."""
    try:
        done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo,
                              capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return frozenset(done.stdout.splitlines()) if done.returncode == 0 else None


def _is_controller(config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_sessionstart(session):
    config = session.config
    if not _is_controller(config):
        return
    before = git_status()
    if before is not None:
        config.stash[_BEFORE] = before
    if config.getoption("--cpu-hog"):
        processes = HOG_PER_CORE * (os.cpu_count() or 1)
        config.stash[_HOG] = start_hog(processes, config.getoption("--cpu-hog-seconds"))
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"cpu hog: {processes} busy processes beside the suite "
                                f"({HOG_PER_CORE} per core)")


def pytest_unconfigure(config):
    hog = config.stash.get(_HOG, None)
    if hog:
        stop_hog(hog)
        config.stash[_HOG] = []


def pytest_sessionfinish(session, exitstatus):
    hog = session.config.stash.get(_HOG, None)
    if hog:
        still = sum(p.poll() is None for p in hog)
        stop_hog(hog)
        session.config.stash[_HOG] = []
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(f"cpu hog: stopped ({still} of {len(hog)} were still running)")
    before = session.config.stash.get(_BEFORE, None)
    if before is None or not _is_controller(session.config):
        return
    after = git_status()
    changed = sorted((after or frozenset()) ^ before)
    if after is not None and changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = ("the test run changed `git status` of the checkout (a test wrote outside its "
                   "tmp_path):\n  " + "\n  ".join(changed))
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
