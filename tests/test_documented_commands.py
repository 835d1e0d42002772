"""The commands README.md and the student README document, run from the folders they say to run
them in, and from the wrong folders: each works, or answers in one line with what to do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.release.runtime import copy_student_folder

REPO = Path(__file__).resolve().parents[1]
RELEASE = REPO / "assignments" / "backprop"
TA_COMMANDS = ("release", "grade", "feedback", "export", "override", "history", "doctor")


def run(*args: str, cwd: Path, env: dict | None = None, python: str = sys.executable):
    return subprocess.run([python, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


def commands_listed(help_text: str) -> set[str]:
    """The command names of `python -m grader --help` (argparse indents them by four)."""
    return {line.split()[0] for line in help_text.splitlines()
            if line.startswith("    ") and not line.startswith("     ")}


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.fixture
def unzipped(tmp_path) -> Path:
    """The release folder as a student has it: moved out of the checkout, e.g. into Downloads/."""
    return copy_student_folder(REPO / "assignments", "backprop", tmp_path / "Downloads" / "backprop")


def test_student_check_in_a_moved_release_folder_runs_on_its_vendored_grader(unzipped):
    listed = run("-m", "grader", "--help", cwd=unzipped)
    assert listed.returncode == 0
    assert commands_listed(listed.stdout) == {"check", "submit"}, listed.stdout  # not the checkout's
    done = run("-m", "grader", "check", "affine_forward", cwd=unzipped)
    assert done.returncode == 1, done.stdout + done.stderr  # the stubs fail their check
    assert "affine_forward" in done.stdout and "affine_backward" not in done.stdout
    assert "Traceback" not in done.stdout + done.stderr



def test_a_course_command_in_a_release_folder_lists_the_release_commands(unzipped):
    """The course `.venv`'s editable install must not lend the release its `grade`."""
    done = run("-m", "grader", "grade", "layers.py", "--assignment", "backprop", cwd=unzipped)
    assert done.returncode == 2
    assert "invalid choice: 'grade' (choose from 'check', 'submit')" in done.stderr

@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_student_make_check_and_submit_in_a_moved_release_folder(unzipped):
    python = f"PYTHON={sys.executable}"
    checked = subprocess.run(["make", "check", python], cwd=unzipped, capture_output=True,
                             text=True, timeout=300)
    assert checked.returncode != 0 and "public checks pass" in checked.stdout, checked.stderr
    refused = subprocess.run(["make", "submit", "STUDENT=alice", python], cwd=unzipped,
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert not (unzipped / "submission.zip").exists()
    forced = subprocess.run(["make", "submit", "STUDENT=alice", "FORCE=1", python], cwd=unzipped,
                            capture_output=True, text=True, timeout=300)
    assert forced.returncode == 0, forced.stderr
    assert (unzipped / "submission.zip").is_file()


def test_student_check_in_the_checkout_runs_on_the_one_runtime_as_the_readme_says(tmp_path):
    """README: in the checkout's assignments/<a>/, `make check` or
    `PYTHONPATH=../_runtime python -m grader check`; both run the release's runtime."""
    env = dict(os.environ, PYTHONPATH="../_runtime")
    where = run("-c", "import grader; print(grader.__file__)", cwd=RELEASE, env=env)
    assert where.stdout.strip() == str(REPO / "assignments" / "_runtime" / "grader" / "__init__.py")
    listed = run("-m", "grader", "--help", cwd=RELEASE, env=env)
    assert commands_listed(listed.stdout) == {"check", "submit"}, listed.stdout
    done = run("-m", "grader", "check", "affine_forward", cwd=RELEASE, env=env)
    assert done.returncode == 1 and "affine_forward" in done.stdout, done.stdout + done.stderr
    if shutil.which("make") is not None:  # the folder's Makefile puts the runtime on the path
        python = tmp_path / "python"
        python.write_text('#!/bin/sh\necho "PYTHONPATH=$PYTHONPATH args=$*"\n')
        python.chmod(0o755)
        made = subprocess.run(["make", "-s", "check", f"PYTHON={python}"], cwd=RELEASE,
                              capture_output=True, text=True, timeout=60,
                              env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
        assert made.stdout.strip() == "PYTHONPATH=../_runtime args=-m grader check", made.stdout
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "PYTHONPATH=../_runtime python -m grader check" in readme


def test_student_check_from_the_folder_above_names_the_folder_to_enter(unzipped):
    done = run("-m", "grader", "check", cwd=unzipped.parent)
    assert done.returncode == 2
    assert one_line(done.stderr).endswith("run this inside one: cd backprop")


def test_student_check_from_the_checkout_root_names_the_release_folders():
    done = run("-m", "grader", "check", cwd=REPO)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert line.endswith("cd assignments/backprop or cd assignments/rnn"), line


def test_the_readmes_say_where_to_run_and_what_no_module_named_grader_means():
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert ".venv/bin/python -m grader" in readme and "No module named grader" in readme
    student = " ".join((RELEASE / "README.md").read_text(encoding="utf-8").split())
    assert "`cd` into it first: from any other folder Python answers `No module named grader`" \
        in student


def test_ta_commands_run_from_any_folder_with_the_venv_python(tmp_path):
    listed = run("-m", "grader", "--help", cwd=tmp_path)
    assert listed.returncode == 0
    assert set(TA_COMMANDS) <= commands_listed(listed.stdout), listed.stdout
    done = run("-m", "grader", "history", "alice", cwd=tmp_path)  # the gradebook is cwd-relative
    assert done.returncode == 2
    assert one_line(done.stderr).startswith(
        f"history: no gradebook at {os.path.join('grades', 'gradebook.sqlite')}")


def test_a_python_without_the_courses_dependencies_names_the_fix_in_one_line(tmp_path):
    """`python -m grader release` in the checkout with a Python that lacks nbformat."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "nbformat.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'nbformat'\", name='nbformat')\n")
    env = dict(os.environ, PYTHONPATH=str(blocker))
    done = run("-m", "grader", "release", "--help", cwd=REPO, env=env)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert "nbformat is not installed" in line and "make install" in line, line


def test_a_missing_module_of_our_own_is_not_disguised_as_a_missing_dependency():
    from grader.cli import missing_dependency
    ours = ModuleNotFoundError("No module named 'grader.nosuch'", name="grader.nosuch")
    assert missing_dependency(ours, command="grade") is None
    theirs = ModuleNotFoundError("No module named 'jinja2'", name="jinja2")
    assert "jinja2 is not installed" in missing_dependency(theirs, command="feedback")
