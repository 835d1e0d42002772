"""For the whole suite: a test run must leave `git status` as it found it.

Tests write under tmp_path; a test that writes into the checkout (a release over assignments/,
a gradebook in grades/, a stray file) would leave the committed tree dirty after `make test`.
The controlling pytest process (not the xdist workers) notes `git status` before the run and
fails the run, naming the paths, when the run changed it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_BEFORE = pytest.StashKey[frozenset]()


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
    if _is_controller(session.config):
        before = git_status()
        if before is not None:
            session.config.stash[_BEFORE] = before


def pytest_sessionfinish(session, exitstatus):
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
