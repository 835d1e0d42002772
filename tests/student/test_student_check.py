"""`python -m grader check`: per task ✓/✗, relative errors, hints in plain words, score estimate."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.student.check import format_report, main, run_public_checks


class _Utf8(io.StringIO):
    encoding = "utf-8"


def _run(folder: Path) -> tuple[int, str]:
    out = _Utf8()
    code = main(folder, stream=out)
    return code, out.getvalue()


def test_correct_layers_pass_every_task_with_full_estimate(make_folder):
    code, text = _run(make_folder("correct"))
    assert code == 0
    assert "✓  mini/affine_forward" in text and "✓  mini/affine_backward" in text
    assert "✗" not in text
    assert "Estimated score on the visible checks: 3 / 3" in text


def test_scaled_gradient_shows_error_threshold_and_plain_words_hint(make_folder):
    code, text = _run(make_folder("dw_scaled"))
    assert code == 1
    assert "✓  mini/affine_forward" in text
    line = next(l for l in text.splitlines() if "mini/affine_backward " in l)
    assert line.lstrip().startswith("✗")
    assert "dw: relative error" in line and "(threshold 1e-07)" in line
    assert "hint: your dw is the expected gradient divided by the batch size N" in text
    assert "Estimated score on the visible checks: 1 / 3" in text


def test_stubs_fail_every_task_and_estimate_zero(make_folder):
    report = run_public_checks(make_folder("stub"))
    assert [r.status for r in report.results] == ["not_implemented", "not_implemented"]
    assert report.visible_score == (0.0, 3.0)
    text = format_report(report, _Utf8())
    assert "NotImplementedError" in text or "not implemented" in text.lower()


def test_marks_fall_back_to_ascii_on_a_terminal_that_cannot_print_them(make_folder):
    class Ascii(io.StringIO):
        encoding = "ascii"

    text = format_report(run_public_checks(make_folder("dw_scaled")), Ascii())
    text.encode("ascii")
    assert "X  mini/affine_backward" in text


def test_cli_check_runs_from_the_assignment_folder(make_folder):
    folder = make_folder("dw_scaled")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "grader", "check"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "hint: your dw is the expected gradient divided by the batch size N" in done.stdout


def test_make_check_runs_the_student_check_in_the_release_on_its_stubs():
    """The top-level `make check ASSIGNMENT=a`: what a student sees on the untouched release."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(["make", "-s", "check", "ASSIGNMENT=rnn"], cwd=repo, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode != 0, done.stdout  # every public check fails on the stubs
    assert "== assignments/rnn" in done.stdout
    assert re.search(r"\n0 of [1-9]\d* public checks pass\.", done.stdout), done.stdout
    assert "is not implemented yet" in done.stdout
