"""The student's commands: `check TASK`, one message for a file that does not import, a clear
line without numpy, `submit` on stubs lists them and asks for --force."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest

from grader.student.check import format_report, run_public_checks
from grader.student.layout import LayoutError
from grader.student.submit import SubmitError, make_submission, unimplemented_tasks
from grader.student.layout import read_layout


def test_check_one_task_runs_only_its_checks(make_folder):
    folder = make_folder("correct")
    every = run_public_checks(folder)
    task = every.results[0].task
    one = run_public_checks(folder, tasks=[task.rsplit("/", 1)[-1]])
    assert one.results and {r.task for r in one.results} == {task}
    assert len(one.results) < len(every.results)
    text = format_report(one, io.StringIO())
    others = {r.task for r in every.results} - {task}
    assert task in text and not any(t in text for t in others)


def test_check_an_unknown_task_names_the_tasks(make_folder):
    folder = make_folder("correct")
    with pytest.raises(LayoutError, match="no task 'nosuch'.*the tasks are"):
        run_public_checks(folder, tasks=["nosuch"])


def test_a_syntax_error_is_reported_once_for_the_file(make_folder):
    folder = make_folder("correct")
    (folder / "layers.py").write_text("def broken(:\n    pass\n")
    report = run_public_checks(folder)
    text = format_report(report, io.StringIO())
    assert len(report.results) > 1
    assert text.count("SyntaxError") == 1, text
    assert "fix this first" in text and "first" not in text.split("fix this first", 1)[1]


def test_submit_on_stubs_lists_them_and_asks_for_force(make_folder, tmp_path):
    folder = make_folder("correct")
    source = (folder / "layers.py").read_text()
    layout = read_layout(folder)
    first = layout.tasks[0].functions[0].rsplit(".", 1)[1]
    stubbed = source + textwrap.dedent(f"""

        def {first}(*args, **kwargs):
            raise NotImplementedError("Implement {layout.tasks[0].id}")
        """)
    (folder / "layers.py").write_text(stubbed)
    assert unimplemented_tasks(layout) == [layout.tasks[0].id]
    with pytest.raises(SubmitError, match=r"--force") as raised:
        make_submission(folder, student="alice", out=tmp_path / "s.zip")
    assert layout.tasks[0].id in str(raised.value) and not (tmp_path / "s.zip").exists()
    assert make_submission(folder, student="alice", out=tmp_path / "s.zip", force=True).path.is_file()


def test_check_without_numpy_says_how_to_install_it(make_folder, tmp_path):
    """A Python where `import numpy` fails: one line naming the fix, no traceback."""
    folder = make_folder("correct")
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "numpy.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'numpy'\", name='numpy')\n")
    import os
    import grader
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocker),
                                                       str(os.path.dirname(os.path.dirname(grader.__file__)))]))
    done = subprocess.run([sys.executable, "-m", "grader", "check", "--dir", str(folder)],
                          capture_output=True, text=True, env=env, timeout=120, cwd=folder)
    assert done.returncode == 2
    assert "numpy is not installed" in done.stderr and "pip install numpy" in done.stderr
    assert "Traceback" not in done.stderr


def test_from_the_parent_folder_check_says_which_folder_to_enter(make_folder):
    folder = make_folder("correct")
    with pytest.raises(LayoutError, match=f"cd {folder.name}"):
        run_public_checks(folder.parent)
