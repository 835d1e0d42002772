"""`make release`, `make demo` and `make test` leave `git status` clean.

- release: run for real in a fresh git repository holding a copy of this checkout's files;
- demo: it writes the release (as above) and its --out folder, whose default is git-ignored;
- test: tests/conftest.py fails a run that changes `git status`; shown here on a small suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from release_support import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def fresh_copy(dest: Path) -> Path:
    """A new git repository holding, committed, every file of this checkout that git tracks or
    would track (so uncommitted work is part of it), as a fresh clone would."""
    files = _git(REPO, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for rel in filter(None, files):
        source = REPO / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "copy")
    return dest


def _python_env(repo: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(repo), "GRADER_SOLUTIONS": str(repo / "solutions")}


def test_release_in_a_fresh_clone_leaves_git_status_clean(tmp_path):
    repo = fresh_copy(tmp_path / "clone")
    env = _python_env(repo)
    where = subprocess.run([sys.executable, "-c", "import grader; print(grader.__file__)"],
                           cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert Path(where.stdout.strip()).is_relative_to(repo), "the copy's own grader must run"
    done = subprocess.run([sys.executable, "-m", "grader", "release"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (repo / "dist").is_dir(), "the release wrote its dist/ here"
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == "", done.stdout[-2000:]


def test_what_demo_and_test_write_by_default_is_git_ignored(tmp_path):
    from grader.batch.cli import DEFAULT_GRADEBOOK
    from grader.cli import build_parser

    demo = build_parser(["demo"]).parse_args(["demo"])
    written = [demo.out / "gradebook.sqlite", demo.out / "reports" / "a.html",
               Path("dist") / "backprop-student.zip", Path(".pytest_cache") / "v",
               Path(".hypothesis") / "examples", Path("grader") / "__pycache__" / "cli.pyc",
               Path(".venv") / "bin" / "python", Path(DEFAULT_GRADEBOOK)]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *map(str, written)], cwd=REPO,
                             capture_output=True, text=True, timeout=60).stdout.split()
    assert sorted(ignored) == sorted(map(str, written))


CHANGES_THE_TREE = """
from pathlib import Path

def test_writes_into_the_checkout():
    (Path(__file__).parent / "left-behind.txt").write_text("x")
"""


def test_a_test_run_that_dirties_the_checkout_fails(tmp_path):
    repo = tmp_path / "suite"
    (repo / "tests").mkdir(parents=True)
    # the suite's conftest and the helper module it imports (tests/cpu_hog.py, for --cpu-hog)
    for helper in ("conftest.py", "cpu_hog.py"):
        shutil.copyfile(REPO / "tests" / helper, repo / "tests" / helper)
    (repo / "tests" / "test_dirty.py").write_text(CHANGES_THE_TREE)
    (repo / "tests" / "test_clean.py").write_text("def test_nothing():\n    assert 1 + 1 == 2\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "suite")
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    clean = subprocess.run(run + ["-k", "clean"], cwd=repo, env=env, capture_output=True,
                           text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout
    dirty = subprocess.run(run, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert dirty.returncode == 1, dirty.stdout
    assert "tests/left-behind.txt" in dirty.stdout
