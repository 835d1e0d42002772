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


def test_submit_zips_are_named_by_their_manifest_else_by_their_stem(tmp_path):
    _manifest_zip(tmp_path / "upload-123.zip", "carol", "2026-12-01T10:00:00+01:00")
    with zipfile.ZipFile(tmp_path / "dave.zip", "w") as archive:
        archive.writestr("layers.py", "")
    found = discover(tmp_path, assignment="fake")
    assert [(s.student, s.layout, s.submitted_at) for s in found.submissions] == [
        ("carol", "zip", "2026-12-01T09:00:00+00:00"), ("dave", "zip", None)]


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


def test_a_student_with_two_submissions_is_graded_on_the_latest(tmp_path):
    (tmp_path / "gina").mkdir()
    (tmp_path / "gina" / "layers.py").write_text("")
    _manifest_zip(tmp_path / "gina-old.zip", "gina", "2026-12-01T10:00:00Z")
    _manifest_zip(tmp_path / "gina-new.zip", "gina", "2026-12-02T10:00:00Z")
    found = discover(tmp_path, assignment="fake")
    assert [s.source.name for s in found.submissions] == ["gina-new.zip"]
    assert sorted(s.source.name for s in found.superseded) == ["gina", "gina-old.zip"]


def test_unusable_student_ids_are_reported_not_graded(tmp_path):
    _manifest_zip(tmp_path / "x.zip", "../../etc", "2026-12-01T10:00:00Z")  # manifest refused
    (tmp_path / "has space").mkdir()
    found = discover(tmp_path, assignment="fake")
    assert [s.student for s in found.submissions] == ["x"]
    assert any("'has space' is not a usable student id" in n for n in found.notes)


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
        single_submission(tmp_path / "sub.zip").source)) == ("carol", "sub.zip")


def test_a_zip_whose_name_and_manifest_disagree_is_noted(tmp_path):
    _manifest_zip(tmp_path / "alice.zip", "bob", "2026-12-01T10:00:00Z")
    _manifest_zip(tmp_path / "submission (2).zip", "carol", "2026-12-01T10:00:00Z")
    found = discover(tmp_path, assignment="fake")
    assert [s.student for s in found.submissions] == ["bob", "carol"]
    assert [n for n in found.notes if "manifest of" in n] == [
        "alice.zip holds the manifest of 'bob'; graded as 'bob' (check the zip's name if it "
        "names its author)"]


def test_a_symlinked_zip_is_not_opened_for_its_manifest(tmp_path):
    _manifest_zip(tmp_path / "elsewhere.zip", "bob", "2026-12-01T10:00:00Z")
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "mallory.zip").symlink_to(tmp_path / "elsewhere.zip")
    found = discover(tmp_path / "class", assignment="fake")
    assert [(s.student, s.layout) for s in found.submissions] == [("mallory", "zip")]
