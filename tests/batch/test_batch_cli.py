"""End to end with the real grade_submission and the sandbox runner: `grade` of one submission
(table or --json), of a lone module file, and of a small class folder."""

from __future__ import annotations

import argparse
import json
import shutil

import pytest

from grader.assignment import load_assignment
from grader.batch import cli
from grader.batch.gradebook import Gradebook
from grader.batch.job import possible_points
from grader.checks.results import SubmissionResult

ASSIGNMENT = load_assignment("backprop")
REFERENCE = [ASSIGNMENT.root / f"{m}.py" for m in ASSIGNMENT.modules]
NOT_IMPLEMENTED_RELU = "\n\ndef relu_forward(x):\n    raise NotImplementedError('relu_forward')\n"


def _grade(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["grade", *argv, "--assignment", "backprop"])
    return args.func(args)


@pytest.fixture(scope="module")
def full_marks() -> float:
    return possible_points(ASSIGNMENT)


def _student(root, name, *, relu_broken=False):
    folder = root / name
    folder.mkdir(parents=True)
    for path in REFERENCE:
        shutil.copy(path, folder / path.name)
    if relu_broken:
        with open(folder / "layers.py", "a") as handle:
            handle.write(NOT_IMPLEMENTED_RELU)
    return folder


def test_grade_one_submission_prints_json_that_round_trips(tmp_path, capsys, monkeypatch,
                                                           full_marks):
    monkeypatch.setenv("GRADER_SECRET", "a-test-course-secret")
    folder = _student(tmp_path, "alice")
    assert _grade([str(folder), "--json"]) == 0
    out, err = capsys.readouterr()
    result = SubmissionResult.from_dict(json.loads(out))
    assert (result.student, result.status) == ("alice", "graded")
    assert result.checks and all(c.status == "passed" for c in result.checks), [
        (c.check_id, c.message) for c in result.checks if c.status != "passed"]
    assert sum(c.score for c in result.checks) == pytest.approx(full_marks)
    assert "warning: no course secret" not in err


def test_scheduler_with_one_submission_is_refused_in_words(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GRADER_SECRET", "a-test-course-secret")
    folder = _student(tmp_path, "alice")
    assert _grade([str(folder), "--scheduler", "local"]) == 2
    out, err = capsys.readouterr()
    assert "--scheduler applies to a folder of submissions" in err and out == ""


def test_grade_a_lone_module_reports_the_other_modules_tasks_missing(tmp_path, capsys,
                                                                     monkeypatch):
    monkeypatch.delenv("GRADER_SECRET", raising=False)
    lone = tmp_path / "layers.py"
    shutil.copy(ASSIGNMENT.root / "layers.py", lone)
    assert _grade([str(lone), "--student", "zoe"]) == 0
    out, err = capsys.readouterr()
    assert "warning: no course secret" in err  # the dev default is never silent
    assert "zoe" in out
    assert _grade([str(lone), "--student", "zoe", "--json"]) == 0
    result = SubmissionResult.from_dict(json.loads(capsys.readouterr().out))
    utils_tasks = {t.id for t in ASSIGNMENT.tasks if "layer_utils" in t.modules}
    assert result.checks and [c.check_id for c in result.checks
                              if c.status != ("missing" if c.task in utils_tasks else "passed")] == []
    assert "layer_utils.py is missing" in result.message


def test_grade_a_class_folder_with_the_sandbox(tmp_path, capsys, monkeypatch, full_marks):
    monkeypatch.setenv("GRADER_SECRET", "a-test-course-secret")
    root = tmp_path / "class"
    _student(root, "alice")
    _student(root, "bob", relu_broken=True)
    (root / "carol.zip").write_bytes(b"not a zip")
    gradebook = tmp_path / "gradebook.sqlite"
    assert _grade([str(root), "--gradebook", str(gradebook), "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "graded 2, skipped 0 (already graded), errors 1, timeouts 0" in out
    assert "carol: the zip is corrupt" in out
    with Gradebook(gradebook) as book:
        totals = book.totals("backprop")
        bob = book.latest("backprop", "bob")
    assert totals["alice"] == pytest.approx((full_marks, full_marks))
    assert totals["carol"] == (0.0, pytest.approx(full_marks))
    assert 0 < totals["bob"][0] < full_marks
    assert {c.status for c in bob.checks if c.task == "backprop/relu_forward"} == {"not_implemented"}
    # the summary's mean is the one the CSV (and pages, overview) give today: final scores out of
    # the maximum that counts now (after-due-date checks only after the due date)
    from grader.reports.cli import export
    from grader.reports.csv_export import read_csv
    rows = read_csv(export(format="csv", assignment="backprop", gradebook_path=gradebook,
                           out_dir=tmp_path / "csv")[0]).values()
    mean_final = sum(float(r["final"]) for r in rows) / len(rows)
    from grader.reports.grades import grade_rows
    with Gradebook(gradebook) as book:
        latest = [book.latest("backprop", s) for s in ("alice", "bob", "carol")]
    counted_max = {row.max_total for row in grade_rows(latest, ASSIGNMENT)}
    assert len(counted_max) == 1
    assert f"mean final score {mean_final:.2f} / {counted_max.pop():.2f}" in out
    assert _grade([str(root), "--gradebook", str(gradebook), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["graded"], summary["skipped"]) == (0, 3)
    assert summary["mean_score"] == pytest.approx(mean_final)


def test_bench_reports_seconds_per_submission_of_a_real_batch(tmp_path):
    from grader.batch.bench import seconds_per_submission
    root = tmp_path / "class"
    _student(root, "alice")
    _student(root, "bob", relu_broken=True)
    figures = seconds_per_submission(root, "backprop", workers=2)
    assert (figures["submissions"], figures["graded"], figures["errors"]) == (2, 2, 0)
    assert 0 < figures["seconds_per_submission"] == pytest.approx(figures["wall_s"] / 2, rel=0.01)
