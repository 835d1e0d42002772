"""Trusted identity and time: who a submission belongs to comes from where it was found, never
from the student's manifest; a roster lists everyone; LMS downloads are read by their names."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile

import pytest

from batch_fakes import FakeAssignment, fake_grade, write_student
from grader.batch.driver import grade_batch
from grader.batch.gradebook import Gradebook


def _run(root, gradebook, **kwargs):
    return grade_batch(root, assignment=FakeAssignment(), gradebook_path=gradebook, secret="s",
                       workers=1, runner_kind=None, grade_fn=fake_grade, progress=False, **kwargs)


def _takeover_zip(path, victim):
    manifest = {"student": victim, "assignment": "fake", "submitted_at": "2027-01-01T00:00:00Z",
                "files": {}, "tool_version": "0.1.0"}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("layers.py", "SCORE = 0\n")
        archive.writestr("layer_utils.py", "")
        archive.writestr("manifest.json", json.dumps(manifest))


def _rows(gradebook, student):
    with sqlite3.connect(gradebook) as db:
        return db.execute("SELECT student, submission_hash, status, score, submitted_at, "
                          "result_json FROM submissions WHERE student=? ORDER BY id",
                          (student,)).fetchall()


def test_a_takeover_zip_leaves_the_victims_gradebook_rows_unchanged(tmp_path):
    root, gradebook = tmp_path / "class", tmp_path / "gradebook.sqlite"
    write_student(root, "victim", 10)
    write_student(root, "bob", 7)
    _run(root, gradebook)
    before = _rows(gradebook, "victim")
    _takeover_zip(root / "mallory.zip", "victim")
    summary = _run(root, gradebook)
    assert _rows(gradebook, "victim") == before
    with Gradebook(gradebook) as book:
        assert book.totals("fake")["victim"] == (10.0, 10.0)
        mallory = book.latest("fake", "mallory")
        assert mallory.submitted_at is None  # the manifest's time is not trusted either
        flags = book.provenance("fake")["mallory"]["flags"]
    assert "manifest.json names 'victim'" in flags and "graded as 'mallory'" in flags
    assert "manifest.json names 'victim'" in mallory.message
    assert any(n.startswith("mallory: its manifest.json names 'victim'") for n in summary.notes)


def test_provenance_records_where_the_id_and_time_came_from(tmp_path):
    root, gradebook = tmp_path / "class", tmp_path / "gradebook.sqlite"
    write_student(root, "ada", 10)
    times = tmp_path / "times.csv"
    times.write_text("student,submitted_at\nada,2026-12-20T12:00:00Z\n")
    _run(root, gradebook, times_path=times)
    with Gradebook(gradebook) as book:
        assert book.latest("fake", "ada").submitted_at == "2026-12-20T12:00:00+00:00"
        assert book.provenance("fake")["ada"] == {
            "student_source": "folder name", "time_source": "ta csv", "lms_id": None,
            "display_name": None, "flags": None}


def test_a_roster_lists_every_student_and_flags_strangers(tmp_path):
    root, gradebook = tmp_path / "class", tmp_path / "gradebook.sqlite"
    write_student(root, "ada", 10)
    write_student(root, "stranger", 4)
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name,email,extension_days\nada,Ada L,ada@x.org,0\n"
                      "bea,Bea M,bea@x.org,2\n")
    summary = _run(root, gradebook, roster_path=roster)
    with Gradebook(gradebook) as book:
        assert book.totals("fake") == {"ada": (10.0, 10.0), "bea": (0.0, 10.0),
                                       "stranger": (4.0, 10.0)}
        assert (book.latest("fake", "bea").status, book.latest("fake", "bea").message) == (
            "error", "no submission")
        assert "not on the roster" in book.provenance("fake")["stranger"]["flags"]
        assert [r["student"] for r in book.roster()] == ["ada", "bea"]
        assert book.roster()[1]["extensions"] == {"*": 2.0}
    assert any("1 roster student(s) without a submission" in n for n in summary.notes)
    write_student(root, "bea", 6)  # she hands in late: her real row replaces the placeholder
    _run(root, gradebook, roster_path=roster)
    with Gradebook(gradebook) as book:
        assert book.totals("fake")["bea"] == (6.0, 10.0)


def _canvas_download(folder):
    folder.mkdir()
    files = {"lovelaceada_101_9001_layers.py": "SCORE = 9\n",
             "lovelaceada_101_9001_layer_utils.py": "",
             "hopperg_late_102_9002_layers.py": "SCORE = 2\n",
             "hopperg_late_102_9002_layers-1.py": "SCORE = 8\n",   # her resubmission
             "hopperg_late_102_9002_layer_utils.py": ""}
    for name, text in files.items():
        (folder / name).write_text(text)
    os.utime(folder / "lovelaceada_101_9001_layers.py", (1765000000, 1765000000))
    return folder


def test_a_canvas_download_is_graded_by_user_id_with_the_resubmission_and_file_times(tmp_path):
    root, gradebook = _canvas_download(tmp_path / "canvas"), tmp_path / "gradebook.sqlite"
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name,lms_id\nada,Ada Lovelace,101\ngrace,Grace Hopper,102\n")
    _run(root, gradebook, roster_path=roster)
    with Gradebook(gradebook) as book:
        assert book.totals("fake") == {"ada": (9.0, 10.0), "grace": (8.0, 10.0)}
        facts = book.provenance("fake")
    assert facts["grace"]["lms_id"] == "102" and facts["grace"]["time_source"] == "lms file times"
    assert facts["grace"]["student_source"] == "canvas file name via the roster"
    assert "Canvas marked it late" in facts["grace"]["flags"]


def test_a_moodle_download_is_graded_per_participant_folder(tmp_path):
    root, gradebook = tmp_path / "moodle", tmp_path / "gradebook.sqlite"
    for name, score in (("José García", 7), ("Li Wei", 3)):
        folder = root / f"{name}_{len(name)}00_assignsubmission_file_"
        folder.mkdir(parents=True)
        (folder / "layers.py").write_text(f"SCORE = {score}\n")
        (folder / "layer_utils.py").write_text("")
    _run(root, gradebook)
    with Gradebook(gradebook) as book:
        assert book.totals("fake") == {"José García": (7.0, 10.0), "Li Wei": (3.0, 10.0)}
        assert book.provenance("fake")["Li Wei"]["lms_id"] == "600"


@pytest.mark.parametrize("option,value", [("max_archive_bytes", 1 << 20)])
def test_a_big_zip_is_refused_naming_the_option_and_accepted_once_raised(tmp_path, option, value):
    from grader.batch.unpack import Limits
    root, gradebook = tmp_path / "class", tmp_path / "gradebook.sqlite"
    root.mkdir()
    with zipfile.ZipFile(root / "ada.zip", "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("layers.py", "SCORE = 5\n")
        archive.writestr("data.npy", os.urandom(2 << 20))   # her dataset, zipped along
    _run(root, gradebook, limits=Limits(**{option: value}))
    with Gradebook(gradebook) as book:
        assert "--max-zip-mb" in book.latest("fake", "ada").message
    _run(root, gradebook, limits=Limits(**{option: 4 << 20}), regrade=True)
    with Gradebook(gradebook) as book:
        assert book.totals("fake")["ada"] == (5.0, 10.0)
