"""Finding submissions in the three layouts, one per student, and single submissions."""

from __future__ import annotations

import json
import os
import zipfile

from grader.batch.discover import discover, is_single_submission, single_submission

MODULES = ("layers", "layer_utils")


def _manifest_zip(path, student, submitted_at, assignment="fake"):
    manifest = {"student": student, "assignment": assignment, "submitted_at": submitted_at,
                "files": {}, "tool_version": "0.1.0"}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("layers.py", "SCORE = 1\n")
        archive.writestr("manifest.json", json.dumps(manifest))


def test_folder_per_student_layout_gives_one_submission_per_folder(tmp_path):
    for name in ("bob", "alice"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "layers.py").write_text("")
    (tmp_path / "roster.csv").write_text("alice,bob\n")
    found = discover(tmp_path, assignment="fake")
    assert [(s.student, s.layout, s.source.name) for s in found.submissions] == [
        ("alice", "folder", "alice"), ("bob", "folder", "bob")]
    assert any("roster.csv" in note for note in found.notes)


def test_zips_are_named_by_their_file_name_never_by_their_manifest(tmp_path):
    _manifest_zip(tmp_path / "carol.zip", "mallory", "2026-12-01T10:00:00+01:00")
    with zipfile.ZipFile(tmp_path / "dave.zip", "w") as archive:
        archive.writestr("layers.py", "")
    found = discover(tmp_path, assignment="fake")
    assert [(s.student, s.layout, s.submitted_at, s.student_source) for s in found.submissions] == [
        ("carol", "zip", None, "zip name"), ("dave", "zip", None, "zip name")]


def test_a_zip_named_like_the_submit_default_names_nobody_and_is_noted(tmp_path):
    _manifest_zip(tmp_path / "submission.zip", "carol", "2026-12-01T10:00:00Z")
    _manifest_zip(tmp_path / "submission (2).zip", "dave", "2026-12-01T10:00:00Z")
    found = discover(tmp_path, assignment="fake")
    assert found.submissions == []
    assert sum("does not say whose it is" in n for n in found.notes) == 2


def test_nbgrader_tree_uses_the_assignment_folder_and_its_timestamp(tmp_path):
    erin = tmp_path / "submitted" / "erin" / "fake"
    erin.mkdir(parents=True)
    (erin / "layers.py").write_text("")
    (erin / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    (tmp_path / "submitted" / "frank" / "other").mkdir(parents=True)
    found = discover(tmp_path, assignment="fake")
    assert [(s.student, s.layout, s.source, s.submitted_at) for s in found.submissions] == [
        ("erin", "nbgrader", erin, "2026-12-01T10:00:00+00:00")]
    assert any("frank has no submission for 'fake'" in note for note in found.notes)


def test_a_student_with_two_submissions_is_graded_on_the_latest_trusted_time(tmp_path):
    (tmp_path / "gina").mkdir()
    (tmp_path / "gina" / "layers.py").write_text("")
    _manifest_zip(tmp_path / "gina.zip", "gina", "2030-01-01T10:00:00Z")  # the manifest's time: ignored
    os.utime(tmp_path / "gina", (1, 1))
    found = discover(tmp_path, assignment="fake")
    assert [s.source.name for s in found.submissions] == ["gina.zip"]  # newer file, not the manifest
    assert [s.source.name for s in found.superseded] == ["gina"]
    times = tmp_path.parent / f"{tmp_path.name}-times.csv"
    times.write_text("student,submitted_at\ngina,2026-12-02T10:00:00+01:00\n")
    found = discover(tmp_path, assignment="fake", times_csv=times)
    assert [(s.submitted_at, s.time_source) for s in found.submissions] == [
        ("2026-12-02T09:00:00+00:00", "ta csv")]


def test_unusable_student_ids_are_reported_not_graded_and_unicode_names_are_graded(tmp_path):
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "Jose\u0301 Garci\u0301a").mkdir()  # NFD, as macOS writes it
    (tmp_path / "a\x07b").mkdir()
    found = discover(tmp_path, assignment="fake")
    assert [s.student for s in found.submissions] == ["Jos\u00e9 Garc\u00eda"]  # NFC
    assert any("is not a usable student id" in n for n in found.notes)


def test_single_submission_is_told_apart_from_a_folder_of_them(tmp_path):
    lone = tmp_path / "layers.py"
    lone.write_text("")
    (tmp_path / "class" / "alice").mkdir(parents=True)
    (tmp_path / "class" / "alice" / "layers.py").write_text("")
    assert is_single_submission(lone, modules=MODULES)
    assert is_single_submission(tmp_path / "class" / "alice", modules=MODULES)
    assert not is_single_submission(tmp_path / "class", modules=MODULES)
    assert single_submission(lone).student == "anonymous"
    assert single_submission(lone, student="zoe").student == "zoe"
    assert single_submission(tmp_path / "class" / "alice").student == "alice"
    _manifest_zip(tmp_path / "sub.zip", "carol", "2026-12-01T10:00:00Z")
    assert (single_submission(tmp_path / "sub.zip").student, os.path.basename(
        single_submission(tmp_path / "sub.zip").source)) == ("sub", "sub.zip")


def test_a_symlinked_zip_is_not_opened_for_its_manifest(tmp_path):
    _manifest_zip(tmp_path / "elsewhere.zip", "bob", "2026-12-01T10:00:00Z")
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "mallory.zip").symlink_to(tmp_path / "elsewhere.zip")
    found = discover(tmp_path / "class", assignment="fake")
    assert [(s.student, s.layout) for s in found.submissions] == [("mallory", "zip")]
