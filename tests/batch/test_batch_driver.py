"""The batch driver with a fake grade function: scores recorded, progress and summary shown,
re-runs skip, --regrade forces, grader bugs are loud, a worker killed mid-grading costs one
submission only."""

from __future__ import annotations

import re

import pytest

from batch_fakes import FakeAssignment, fake_grade, write_student
from grader.batch.driver import INTERNAL, WORKER_KILLED, grade_batch
from grader.batch.gradebook import Gradebook

SCORES = {"alice": 10, "bob": 7, "carol": 0, "dave": 5, "erin": 3, "frank": 9}


@pytest.fixture
def klass(tmp_path, monkeypatch):
    root = tmp_path / "submissions"
    for student, score in SCORES.items():
        write_student(root, student, score)
    log = tmp_path / "gradings.log"
    monkeypatch.setenv("FAKE_GRADE_LOG", str(log))
    return root, tmp_path / "gb" / "gradebook.sqlite", log


def _run(root, gradebook, **kwargs):
    options = dict(assignment=FakeAssignment(), gradebook_path=gradebook, secret="s", workers=2,
                   runner_kind=None, grade_fn=fake_grade, progress=False)
    options.update(kwargs)
    return grade_batch(root, **options)


def _gradings(log) -> list[str]:
    return log.read_text().split("\n")[:-1] if log.exists() else []


def test_batch_records_every_students_score(klass):
    root, gradebook, _ = klass
    summary = _run(root, gradebook)
    assert (summary.graded, summary.skipped, summary.errors, summary.internal_errors) == (6, 0, 0, 0)
    with Gradebook(gradebook) as book:
        assert book.totals("fake") == {s: (float(v), 10.0) for s, v in SCORES.items()}
        assert [r.student for r in book.submissions("fake")] == sorted(SCORES)
        assert len(book.check_rows("fake", "bob")) == 2
    assert summary.mean_score == pytest.approx(sum(SCORES.values()) / len(SCORES))


def test_progress_bar_and_summary_are_printed(klass, capsys):
    root, gradebook, _ = klass
    _run(root, gradebook, progress=True)
    out, err = capsys.readouterr()
    # rate and ETA; tqdm writes the rate as s/sub below one submission a second (a loaded machine)
    assert re.search(r"6/6 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+(sub/s|s/sub)\]", err), err
    assert "graded 6, skipped 0 (already graded), errors 0, timeouts 0" in out
    assert f"mean final score {sum(SCORES.values()) / 6:.2f} / 10.00" in out


def test_rerun_skips_what_is_graded_and_regrade_forces_it(klass):
    root, gradebook, log = klass
    _run(root, gradebook)
    again = _run(root, gradebook)
    assert (again.graded, again.skipped) == (0, 6)
    assert len(_gradings(log)) == 6
    forced = _run(root, gradebook, regrade=True)
    assert (forced.graded, forced.skipped) == (6, 0)
    assert len(_gradings(log)) == 12
    with Gradebook(gradebook) as book:
        assert all(book.count("fake", s) == 1 for s in SCORES)
        assert book.totals("fake") == {s: (float(v), 10.0) for s, v in SCORES.items()}


def test_a_changed_submission_is_graded_again_and_becomes_the_latest(klass):
    root, gradebook, _ = klass
    _run(root, gradebook)
    (root / "carol" / "layers.py").write_text("SCORE = 8\n")
    summary = _run(root, gradebook)
    assert (summary.graded, summary.skipped) == (1, 5)
    with Gradebook(gradebook) as book:
        assert book.count("fake", "carol") == 2
        assert book.totals("fake")["carol"] == (8.0, 10.0)
        assert len(book.submissions("fake", latest_only=False)) == 7


def test_a_grader_bug_is_loud_recorded_as_an_error_and_graded_again_next_time(klass, capsys):
    root, gradebook, _ = klass
    (root / "bob" / "layers.py").write_text("SCORE = 7\nRAISE\n")
    summary = _run(root, gradebook)
    assert (summary.graded, summary.internal_errors) == (5, 1)
    assert "RuntimeError: a bug in a check" in capsys.readouterr().err
    with Gradebook(gradebook) as book:  # recorded, so the batch loses no student
        bob = book.latest("fake", "bob")
        assert bob.status == "error" and bob.message.startswith(INTERNAL)
        assert "RuntimeError: a bug in a check" in bob.message and book.totals("fake")["bob"] == (0.0, 10.0)
    again = _run(root, gradebook)  # an internal error is graded again: still the bug
    assert (again.graded, again.skipped, again.internal_errors) == (0, 5, 1)
    with Gradebook(gradebook) as book:
        assert book.count("fake", "bob") == 1  # replaced, not added
    (root / "bob" / "layers.py").write_text("SCORE = 7\n")  # the fix: the re-run grades bob
    assert _run(root, gradebook).graded == 1
    with Gradebook(gradebook) as book:
        assert book.totals("fake")["bob"] == (7.0, 10.0) and book.latest("fake", "bob").status == "graded"


def test_a_submission_that_kills_its_worker_costs_only_itself(klass):
    root, gradebook, log = klass
    write_student(root, "mallory", 10, extra="KILL_WORKER")
    for student in SCORES:  # slow enough that others are in flight when the worker dies
        (root / student / "layers.py").write_text(f"SCORE = {SCORES[student]}\nSLEEP = 0.1\n")
    summary = _run(root, gradebook)
    assert (summary.graded, summary.errors, summary.internal_errors) == (6, 1, 0)
    with Gradebook(gradebook) as book:
        assert book.latest("fake", "mallory").message == WORKER_KILLED
        assert book.totals("fake")["mallory"] == (0.0, 10.0)
        assert {s: t for s, t in book.totals("fake").items() if s != "mallory"} == {
            s: (float(v), 10.0) for s, v in SCORES.items()}
    assert sum(line.startswith("mallory ") for line in _gradings(log)) == 2  # pool, then alone


def test_timeouts_are_counted_and_named_in_the_summary(klass, capsys):
    root, gradebook, _ = klass
    write_student(root, "slowpoke", 4, extra="TIMEOUT")
    summary = _run(root, gradebook, progress=True)
    assert (summary.graded, summary.timeouts) == (6, 1)
    assert "errors 0, timeouts 1" in capsys.readouterr().out
    assert "slowpoke: timeout: the submission ran out of time" in summary.problems
    with Gradebook(gradebook) as book:
        assert book.latest("fake", "slowpoke").status == "timeout"


def test_a_hung_grading_is_stopped_recorded_as_timeout_and_the_batch_goes_on(klass, tmp_path):
    root, gradebook, _ = klass
    # The budget is calibrated in this run: the six ordinary gradings, at this machine's load,
    # bound what one of them needs; the hung one sleeps twenty budgets.
    calibration = _run(root, tmp_path / "calibration.sqlite").duration_s
    budget = float(max(2, round(5 * calibration)))
    write_student(root, "hangs", 10, sleep=20 * budget)
    summary = _run(root, gradebook, submission_timeout_s=budget)
    assert (summary.graded, summary.timeouts, summary.internal_errors) == (6, 1, 0)
    assert summary.duration_s < 10 * budget, "the batch waited for the hung grading to end"
    with Gradebook(gradebook) as book:
        hung = book.latest("fake", "hangs")
        assert (hung.status, hung.checks) == ("timeout", [])
        assert hung.message.startswith(f"grading did not finish within {budget:.0f} s")
        assert {s: t for s, t in book.totals("fake").items() if s != "hangs"} == {
            s: (float(v), 10.0) for s, v in SCORES.items()}
