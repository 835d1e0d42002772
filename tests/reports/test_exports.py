"""Exports: CSV (round-trips into the gradebook totals), Gradescope results.json (the published
fields; reference full marks, stub zero), nbgrader gradebook (read back with nbgrader's API)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
import pytest
from synthetic import make_result

from grader.batch.gradebook import Gradebook
from grader.checks.scoring import total
from grader.reports import cli as reports_cli
from grader.reports.csv_export import read_csv
from grader.reports.gradescope import results_json

SCHEMA = json.loads(Path(__file__).with_name("gradescope_schema.json").read_text())


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory, klass, assignment):
    path = tmp_path_factory.mktemp("gb") / "gradebook.sqlite"
    with Gradebook(path) as book:
        # an older submission of alice's that must not be the one exported
        old = make_result(assignment, "alice", "stub",
                          submitted_at="2026-11-01T00:00:00+00:00")
        old.submission_hash = "old-hash"
        for result in [old, *klass]:
            book.record(result, score=total(result.checks)[0], max_score=total(result.checks)[1])
    return path


def _counted_now(klass, assignment) -> dict[str, tuple[float, float]]:
    """{student: (score, max)} of the checks that count at this moment (the CLI reads the clock:
    after_due_date checks count only once the assignment is due)."""
    from grader.reports.deadline import LatePolicy, is_past
    from grader.reports.grades import counted_checks, task_maxima

    due_passed = is_past(LatePolicy.of(assignment).due)
    most = sum(task_maxima(assignment, due_passed=due_passed).values())
    out = {}
    for result in klass:
        got, possible = total(counted_checks(result.checks, due_passed=due_passed))
        out[result.student] = (got, possible if result.checks else most)
    return out


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    reports_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_csv_round_trips_into_the_gradebook_totals(gradebook, tmp_path, assignment, capsys,
                                                   klass):
    assert _main(["export", "--format", "csv", "--assignment", "backprop",
                  "--gradebook", str(gradebook), "--out", str(tmp_path)]) == 0
    path = Path(capsys.readouterr().out.strip())
    rows = read_csv(path)
    with Gradebook(gradebook) as book:
        assert set(book.totals("backprop")) == set(rows)
    totals = _counted_now(klass, assignment)
    assert set(rows) == set(totals) and len(rows) == 7
    for student, (score, _max) in totals.items():
        row = rows[student]
        assert float(row["total"]) == pytest.approx(score)
        assert sum(float(row[t.id]) for t in assignment.tasks) == pytest.approx(score)
        assert float(row["final"]) == pytest.approx(float(row["total"]) - float(row["late_penalty"]))
    assert float(rows["alice"]["total"]) == totals["alice"][1] > 0  # the latest, not the old stub
    assert rows["carol"]["days_late"] == "2"
    # the CSV holds exact decimals to the points' precision: grace's half, rounded to it
    from grader.reports.grades import exact, places
    assert float(rows["grace"]["final"]) == exact(float(rows["grace"]["total"]) / 2,
                                                  places(assignment))


def test_gradescope_json_follows_the_published_schema(klass, assignment):
    for result in klass:
        document = results_json(result, assignment)
        jsonschema.validate(document, SCHEMA)
        numbers = [t["number"] for t in document["tests"]]
        assert len(numbers) == len(set(numbers))


def test_gradescope_scores_the_reference_full_and_a_stub_zero(assignment):
    from synthetic import AFTER_DUE
    full = results_json(make_result(assignment, "ref", "reference"), assignment, now=AFTER_DUE)
    stub = results_json(make_result(assignment, "stub", "stub"), assignment, now=AFTER_DUE)
    assert full["score"] == assignment.points == sum(t["max_score"] for t in full["tests"])
    assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in full["tests"])
    assert stub["score"] == 0 and all(t["status"] == "failed" for t in stub["tests"])


def test_gradescope_export_writes_one_results_json_per_submission(gradebook, tmp_path, capsys):
    _main(["export", "--format", "gradescope", "--assignment", "backprop",
           "--gradebook", str(gradebook), "--out", str(tmp_path)])
    paths = [Path(p) for p in capsys.readouterr().out.split()]
    assert len(paths) == 7 and all(p.name == "results.json" for p in paths)
    for path in paths:
        jsonschema.validate(json.loads(path.read_text()), SCHEMA)


def test_nbgrader_export_reads_back_through_nbgrader_api(gradebook, tmp_path, assignment, capsys,
                                                         klass):
    from nbgrader.api import Gradebook as NbGradebook

    from grader.reports.nbgrader_export import _alembic_on_path, database_url

    argv = ["export", "--format", "nbgrader", "--assignment", "backprop",
            "--gradebook", str(gradebook), "--out", str(tmp_path)]
    _main(argv)
    _main(argv)  # exporting twice updates in place (no duplicate students or submissions)
    db = Path(capsys.readouterr().out.split()[0])
    totals = _counted_now(klass, assignment)
    with _alembic_on_path(), NbGradebook(database_url(db)) as nb:
        assert sorted(s.id for s in nb.students) == sorted(totals)
        for student, (score, _most) in totals.items():
            submission = nb.find_submission("backprop", student)
            assert submission.score == pytest.approx(score)
            # nbgrader's maximum is fixed by its grade cells (the tasks' points), whatever the
            # moment; the score is the one counted now, as on the page and in the CSV
            assert submission.max_score == pytest.approx(sum(t.points for t in assignment.tasks))
        carol = nb.find_submission("backprop", "carol")
        assert carol.late_submission_penalty == pytest.approx(0.2 * totals["carol"][0])
        assert carol.timestamp.isoformat().startswith("2026-12-17T11:59")
        grade = nb.find_grade("test_affine_backward", "backprop", "backprop", "alice")
        # the cell holds the task's points; its score is what counts now (the CLI reads the
        # clock: before the due date alice's after_due_date check of the task does not count)
        from grader.reports.deadline import LatePolicy, is_past
        from grader.reports.grades import counted_checks
        alice = next(r for r in klass if r.student == "alice")
        counted = counted_checks(alice.checks, due_passed=is_past(LatePolicy.of(assignment).due))
        want = sum(c.score for c in counted if c.task == "backprop/affine_backward")
        points = assignment.task("backprop/affine_backward").points  # 1.5 in assignment.toml
        assert grade.score == pytest.approx(want) and grade.max_score == points
        assert nb.find_assignment("backprop").duedate is not None


def test_feedback_command_writes_pages_and_overview(gradebook, tmp_path, capsys):
    _main(["feedback", "--assignment", "backprop", "--gradebook", str(gradebook),
           "--out", str(tmp_path), "--student", "bob"])
    assert [Path(p).name for p in capsys.readouterr().out.split()] == ["backprop-bob.html"]


def test_write_reports_returns_the_pages_overview_and_csv(reports, klass):
    assert {p.name for p in reports["feedback"].glob("*.html")} == {
        f"backprop-{r.student}.html" for r in klass}
    assert reports["overview"].is_file() and reports["csv"].suffix == ".csv"
    assert len(reports["csv"].read_text().splitlines()) == len(klass) + 1
