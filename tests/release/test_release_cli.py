"""`python -m grader release`: writes, gates, reports; a second run changes nothing; a failing
gate exits 1 naming the problem and writes nothing."""

from __future__ import annotations

from grader.cli import main
from grader.release import pipeline
from grader.release.build import ReleaseError

NAME = "rnn"  # the smaller assignment keeps this end-to-end test quick


def test_release_command_writes_then_changes_nothing_on_a_second_run(tmp_path, capsys):
    assert main(["release", NAME, "--out", str(tmp_path)]) == 0
    first = capsys.readouterr().out
    assert f"{NAME}: " in first and "reference gate" in first and "leak scan" in first
    assert (tmp_path / "assignments" / NAME / f"{NAME}.ipynb").is_file()
    assert (tmp_path / "dist" / f"{NAME}-student.zip").is_file()
    assert (tmp_path / "dist" / "nbgrader" / "source" / NAME / f"{NAME}.ipynb").is_file()
    assert main(["release", NAME, "--out", str(tmp_path)]) == 0
    assert "0 change(s)" in capsys.readouterr().out


def test_failing_gate_exits_1_and_writes_nothing(tmp_path, capsys, monkeypatch):
    def planted_leak(build):
        raise ReleaseError("layers.py:12: solution line from solutions/x/layers.py:30: 'dx = 1'")

    monkeypatch.setattr(pipeline, "GATES", (("leak scan", planted_leak),))
    assert main(["release", NAME, "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "release stopped: layers.py:12: solution line" in err
    assert not (tmp_path / "assignments").exists() and not (tmp_path / "dist").exists()


def test_unknown_assignment_is_an_error(tmp_path, capsys):
    assert main(["release", "no_such_assignment", "--out", str(tmp_path)]) == 1
    assert "no assignment ['no_such_assignment']" in capsys.readouterr().err


def test_gradescope_bundle_only_with_a_real_secret_given_by_option(tmp_path, capsys):
    import zipfile

    assert main(["release", NAME, "--out", str(tmp_path / "none"), "--no-gates"]) == 0
    assert "no Gradescope bundle" in capsys.readouterr().out
    assert not (tmp_path / "none" / "dist" / f"{NAME}-gradescope.zip").exists()
    empty = tmp_path / "empty-secret"
    empty.write_text("\n")
    assert main(["release", NAME, "--out", str(tmp_path / "bad"), "--no-gates",
                 "--gradescope-secret", str(empty)]) == 1
    assert "secret file" in capsys.readouterr().err
    secret = tmp_path / "secret"
    secret.write_text("the real course secret\n")
    assert main(["release", NAME, "--out", str(tmp_path / "ok"), "--no-gates",
                 "--gradescope-secret", str(secret)]) == 0
    bundle = zipfile.ZipFile(tmp_path / "ok" / "dist" / f"{NAME}-gradescope.zip")
    assert bundle.read("course_secret") == b"the real course secret\n"
