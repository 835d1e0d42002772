"""One score everywhere: the feedback page, the CSV, Gradescope and the overview agree on score
and maximum for every student, before and after the due date, on a class with an after_due_date
check; the page says how the total is made; TA overrides reach every export and the page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from synthetic import AFTER_DUE, BEFORE_DUE, make_result

from grader.batch.gradebook import Gradebook
from grader.batch.overrides import OverrideError, add_override
from grader.checks.scoring import total
from grader.reports import cli as reports_cli
from grader.reports.csv_export import read_csv
from grader.reports.feedback import render_feedback
from grader.reports.grades import places, points_text
from grader.reports.overview import overview_view


@pytest.fixture(scope="module")
def book(tmp_path_factory, klass):
    path = tmp_path_factory.mktemp("one-score") / "gradebook.sqlite"
    with Gradebook(path) as gradebook:
        for result in klass:
            gradebook.record(result, score=total(result.checks)[0],
                             max_score=total(result.checks)[1])
    return path


def _page_numbers(page: str) -> tuple[float, float, float]:
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    got, most = re.search(r"Points from the checks\s+([\d.]+) / ([\d.]+)", text).groups()
    final = re.search(r"Final\s+([\d.]+)\s*/", text).group(1)
    return float(got), float(most), float(final)


@pytest.mark.parametrize("now", [BEFORE_DUE, AFTER_DUE], ids=["before-due", "after-due"])
def test_page_csv_gradescope_and_overview_agree(book, klass, assignment, tmp_path, now):
    assert any(c.visibility == "after_due_date" and c.score > 0 for r in klass for c in r.checks)
    reports_cli.export(format="csv", assignment=assignment, gradebook_path=book,
                       out_dir=tmp_path, now=now)
    csv_rows = read_csv(tmp_path / "backprop-grades.csv")
    reports_cli.export(format="gradescope", assignment=assignment, gradebook_path=book,
                       out_dir=tmp_path / "gs", now=now)
    overview = {line.row.student: line.row for line in overview_view(
        klass, assignment, now=now).rows}
    maxima = set()
    for result in klass:
        got, most, final = _page_numbers(render_feedback(result, assignment, now=now,
                                                         with_plots=False))
        csv_row = csv_rows[result.student]
        assert (float(csv_row["total"]), float(csv_row["final"])) == (got, final)
        gs = json.loads((tmp_path / "gs" / f"backprop-{result.student}" / "results.json")
                        .read_text())
        assert gs["score"] == final
        # the Gradescope document's tests carry the same total and maximum ...
        assert sum(t["score"] for t in gs["tests"]) == pytest.approx(float(csv_row["total"]))
        if result.checks:
            assert sum(t["max_score"] for t in gs["tests"]) == pytest.approx(most)
        # ... while its top-level output speaks of the visible checks only (never the total)
        seen = [t for t in gs["tests"] if t["visibility"] == "visible" and "tags" in t]  # checks
        assert gs["output"].startswith(
            f"{points_text(sum(t['score'] for t in seen), places(assignment))} / "
            f"{points_text(sum(t['max_score'] for t in seen), places(assignment))} points from the {len(seen)} "
            "visible check(s).")
        row = overview[result.student]
        assert (row.total, row.max_total, row.final) == (got, most, final)
        if result.checks:
            maxima.add(most)
    # after the due date the after_due_date checks count (and are worth more), not before
    held = sum(c.max_score for c in klass[0].checks if c.visibility == "after_due_date")
    assert maxima == {assignment.points - (held if now == BEFORE_DUE else 0)}


def test_scores_are_exact_decimals(assignment, tmp_path):
    result = make_result(assignment, "dora", "reference")
    for check in result.checks:  # partial credit that sums to 10.200000000000001 in floats
        check.score = check.max_score * 0.1 if check.task.endswith("forward") else check.score
    from grader.reports.csv_export import write_csv
    from grader.reports.grades import grade_rows
    path = write_csv(grade_rows([result], assignment, now=AFTER_DUE), assignment,
                     tmp_path / "g.csv")
    cells = path.read_text().splitlines()[1].split(",")
    assert all(re.fullmatch(r"-?\d+(\.\d{1,2})?|[a-z]+|dora", c) for c in cells), cells


def test_the_page_says_how_the_total_is_made(klass, assignment):
    alice = next(r for r in klass if r.student == "alice")
    before = html.unescape(render_feedback(alice, assignment, now=BEFORE_DUE, with_plots=False))
    after = html.unescape(render_feedback(alice, assignment, now=AFTER_DUE, with_plots=False))
    assert "The total is the sum of the task scores" in before
    assert "more points come from checks that count after the due date" in before
    assert "after-due-date checks included" in after


def test_an_override_reaches_the_page_csv_gradescope_and_nbgrader(klass, assignment, tmp_path):
    book = tmp_path / "gradebook.sqlite"
    with Gradebook(book) as gradebook:
        for result in klass:
            gradebook.record(result, score=0, max_score=0)
    bob = next(r for r in klass if r.student == "bob")
    task = next(t for t in assignment.tasks
                if any(c.task == t.id and c.status != "passed" for c in bob.checks))
    add_override(book, assignment=assignment, student="bob", task=task.id.split("/")[-1],
                 score=task.points, comment="the transposed dw was a typo; full marks",
                 author="ta-kim")
    reports_cli.export(format="csv", assignment=assignment, gradebook_path=book,
                       out_dir=tmp_path, now=AFTER_DUE)
    row = read_csv(tmp_path / "backprop-grades.csv")["bob"]
    assert float(row[task.id]) == task.points
    reports_cli.export(format="gradescope", assignment=assignment, gradebook_path=book,
                       out_dir=tmp_path / "gs", now=AFTER_DUE)
    gs = json.loads((tmp_path / "gs" / "backprop-bob" / "results.json").read_text())
    assert gs["score"] == float(row["final"])
    assert sum(t["score"] for t in gs["tests"]) == pytest.approx(float(row["total"]))
    assert any("ta-kim" in t["name"] for t in gs["tests"])
    paths = reports_cli.feedback(assignment=assignment, gradebook_path=book,
                                 out_dir=tmp_path / "pages", student="bob", now=AFTER_DUE)
    page = html.unescape(paths[0].read_text())
    assert "ta-kim" in page and "the transposed dw was a typo" in page
    assert _page_numbers(paths[0].read_text())[0] == float(row["total"])
    reports_cli.export(format="nbgrader", assignment=assignment, gradebook_path=book,
                       out_dir=tmp_path / "nb", now=AFTER_DUE)
    from nbgrader.api import Gradebook as NbGradebook

    from grader.reports.nbgrader_export import _alembic_on_path, database_url, grade_cell_id
    with _alembic_on_path(), NbGradebook(database_url(tmp_path / "nb" / "gradebook.db")) as nb:
        assert nb.find_submission("backprop", "bob").score == pytest.approx(float(row["total"]))
        # nbgrader's own grade cell of the task (d12's naming), not our task id
        assert nb.find_grade(grade_cell_id(task.id), "backprop", "backprop", "bob").score \
            == task.points


def test_bad_overrides_are_refused_in_words(klass, assignment, tmp_path):
    book = tmp_path / "gradebook.sqlite"
    with Gradebook(book) as gradebook:
        gradebook.record(klass[0], score=0, max_score=0)
    student = klass[0].student
    with pytest.raises(OverrideError, match="no task"):
        add_override(book, assignment=assignment, student=student, task="nosuch", score=1,
                     comment="", author="ta")
    with pytest.raises(OverrideError, match="outside"):
        add_override(book, assignment=assignment, student=student, task="affine_forward",
                     score=99, comment="", author="ta")
    with pytest.raises(OverrideError, match="no graded submission"):
        add_override(book, assignment=assignment, student="nobody", task="affine_forward",
                     score=1, comment="", author="ta")


def test_history_lists_every_submission_with_its_score_and_the_latest(klass, assignment,
                                                                      tmp_path, capsys):
    import argparse

    from grader.reports.cli import register, register_manual
    book = tmp_path / "gradebook.sqlite"
    old = make_result(assignment, "bob", "stub", submitted_at="2026-11-01T00:00:00+00:00")
    old.submission_hash = "old-hash"
    bob = next(r for r in klass if r.student == "bob")
    with Gradebook(book) as gradebook:
        for result in (old, bob):
            gradebook.record(result, score=0, max_score=0)
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    register(subparsers)
    register_manual(subparsers)

    def run(*argv):
        args = parser.parse_args(list(argv))
        return args.func(args)

    assert run("override", "--assignment", "backprop", "--gradebook", str(book), "--student",
               "bob", "--task", "affine_forward", "--comment", "see me", "--by", "ta-kim") == 0
    capsys.readouterr()
    assert run("history", "bob", "--gradebook", str(book)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("backprop  2026-11-01")
    assert "old-hash" in lines[0] and "latest" not in lines[0]
    assert lines[1].endswith("latest") and "1 TA override(s)" in lines[1]
    from grader.reports.grades import grade_row
    assert f" {grade_row(bob, assignment).final:g} / " in lines[1]
    assert run("override", "--assignment", "backprop", "--gradebook", str(book), "--student",
               "bob", "--task", "nosuch", "--score", "1", "--by", "ta") == 2
    assert "no task 'nosuch'" in capsys.readouterr().err
