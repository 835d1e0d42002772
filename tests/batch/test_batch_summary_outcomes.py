"""The batch summary names every student whose checks could not run (did not import, missing,
refused, timed out), also on a resumed run that grades nothing; another course secret than the
gradebook's is refused unless --regrade."""

from __future__ import annotations

import io

import pytest
from batch_fakes import FakeAssignment, fake_grade, write_student

from grader.batch.driver import grade_batch
from grader.batch.fingerprint import SecretMismatch
from grader.checks.results import CheckResult

IMPORT_ERROR = "layers.py does not import: SyntaxError: invalid syntax (layers.py, line 1)"


def grade_or_import_error(submission_dir, **kwargs):
    """fake_grade, except that a layers.py holding IMPORT_FAILS fails every check on import."""
    result = fake_grade(submission_dir, **kwargs)
    if b"IMPORT_FAILS" in (submission_dir / "layers.py").read_bytes():
        result.checks = [CheckResult(c.check_id, c.task, "error", 0.0, c.max_score, c.visibility,
                                     IMPORT_ERROR) for c in result.checks]
    return result


@pytest.fixture()
def klass(tmp_path):
    root = tmp_path / "class"
    write_student(root, "good", 10)
    write_student(root, "slow", 3, extra="TIMEOUT")
    write_student(root, "broken", 0, extra="IMPORT_FAILS")
    (root / "nozip.zip").write_bytes(b"this is not a zip file")
    return root


def _run(klass, gradebook, **options):
    out = io.StringIO()
    summary = grade_batch(klass, assignment=FakeAssignment(), gradebook_path=gradebook,
                          secret=options.pop("secret", "s1"), workers=1, runner_kind=None,
                          grade_fn=grade_or_import_error, progress=False, report=True, out=out,
                          **options)
    return summary, out.getvalue()


def test_the_summary_names_every_student_whose_checks_did_not_run_also_when_resumed(
        klass, tmp_path):
    gradebook = tmp_path / "gradebook.sqlite"
    first, text = _run(klass, gradebook)
    assert first.outcomes["did not import"] == ["broken"]
    assert first.outcomes["timed out"] == ["slow"]
    assert sum(len(v) for v in first.outcomes.values()) == 3  # the bad zip too
    assert "NOT GRADED IN FULL 3" in text and "broken" in text and "slow" in text
    again, text = _run(klass, gradebook)                    # resumed: nothing graded now
    assert again.graded == 0 and again.skipped == 4
    assert again.outcomes == first.outcomes
    assert "did not import 1: broken" in text and "timed out 1: slow" in text


def test_another_secret_is_refused_unless_regrade(klass, tmp_path):
    gradebook = tmp_path / "gradebook.sqlite"
    _run(klass, gradebook, secret="s1")
    with pytest.raises(SecretMismatch, match="another course secret.*--regrade"):
        _run(klass, gradebook, secret="s2")
    summary, _ = _run(klass, gradebook, secret="s2", regrade=True)
    assert summary.skipped == 0 and summary.recorded == 4
    _run(klass, gradebook, secret="s2")                    # the new secret is now the gradebook's


def test_no_progress_bar_when_stderr_is_not_a_terminal(monkeypatch, tmp_path, capsys):
    """A bar written into a log file is one huge line of carriage returns: none off a terminal."""
    import argparse

    import grader.batch.driver as driver
    from grader.batch import cli as batch_cli
    from grader.batch.summary import BatchSummary
    seen = {}

    def fake_grade_batch(path, **options):
        seen.update(options)
        return BatchSummary(assignment="backprop")
    monkeypatch.setattr(driver, "grade_batch", fake_grade_batch)
    (tmp_path / "class" / "a").mkdir(parents=True)
    (tmp_path / "class" / "b").mkdir(parents=True)
    parser = argparse.ArgumentParser()
    batch_cli.register(parser.add_subparsers())
    args = parser.parse_args(["grade", str(tmp_path / "class"), "--assignment", "backprop",
                              "--gradebook", str(tmp_path / "g.sqlite")])
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    assert args.func(args) == 0
    assert seen["progress"] is False
