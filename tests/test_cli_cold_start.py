"""Cold start: a command imports what it needs, when it needs it.

Pinned without timing: each command runs in a fresh interpreter and reports, as it exits, which
of the heavy libraries (the release pipeline's nbformat/nbgrader, plots, Dask) it loaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli import COMMANDS, build_parser
from grader.release.runtime import copy_student_folder

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("nbformat", "nbgrader", "nbclient", "jinja2", "matplotlib", "distributed", "dask", "tqdm")

# Run `python -m grader ARGS` and print, at exit, the heavy modules it imported.
PROBE = """
import atexit, json, runpy, sys
heavy = {heavy!r}
atexit.register(lambda: print("LOADED " + json.dumps(sorted(m for m in heavy if m in sys.modules)),
                              file=sys.stderr))
sys.argv = ["grader"] + {args!r}
runpy.run_module("grader", run_name="__main__", alter_sys=True)
"""


def loaded_by(args: list[str], *, cwd: Path) -> list[str]:
    env = {**os.environ, "GRADER_SECRET": "cold-start test"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY, args=args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)
    line = [x for x in done.stderr.splitlines() if x.startswith("LOADED ")]
    assert line, f"rc {done.returncode}\n{done.stdout}\n{done.stderr}"
    return json.loads(line[-1].removeprefix("LOADED "))


def test_grading_one_file_loads_no_release_pipeline_plots_or_dask(tmp_path):
    layers = tmp_path / "layers.py"
    shutil.copyfile(REPO / "assignments" / "backprop" / "layers.py", layers)   # the stubs
    assert loaded_by(["grade", str(layers), "--assignment", "backprop", "--json"],
                     cwd=tmp_path) == []


def test_the_student_check_loads_none_of_them(tmp_path):
    folder = copy_student_folder(REPO / "assignments", "backprop", tmp_path / "backprop")
    assert loaded_by(["check"], cwd=folder) == []


def test_the_probe_sees_a_heavy_import_when_one_happens(tmp_path):
    """The release command does load the pipeline: the probe is not blind."""
    assert "nbformat" in loaded_by(["release", "--help"], cwd=tmp_path)


def test_help_still_lists_every_command():
    help_text = build_parser().format_help()
    for command in COMMANDS:
        assert command in help_text


def test_a_command_registers_only_its_own_module():
    parser = build_parser(["grade", "x"])
    choices = parser._subparsers._group_actions[0].choices   # argparse keeps them there
    assert sorted(choices) == ["grade"]
    with pytest.raises(SystemExit):
        build_parser(["no-such-command"]).parse_args(["no-such-command"])


def test_cold_start_rows_measure_numpy_and_the_commands():
    from grader.coldstart import cold_start, import_seconds, render_rows

    assert import_seconds("import time: self [us] | cumulative | imported package\n"
                          "import time:       150 |        150 | numpy\n"
                          "import time:      2000 |       2150 |   x\n") == 0.00215
    rows = cold_start(REPO, repeats=1, only=("numpy", "student check"))
    assert [r["label"] for r in rows] == ["numpy alone", "student check (release folder, stubs)"]
    assert all(r["import_s"] > 0 and r["cpu_s"] > 0 for r in rows), rows
    assert "| numpy alone |" in render_rows(rows)


def test_the_release_package_loads_its_pipeline_only_when_asked():
    code = ("import sys, grader.release.canonical, grader.release.build\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
            "from grader.release import build_release\n"
            "print('nbformat' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600).stdout.split("\n")
    assert out[:2] == ["[]", "True"]
