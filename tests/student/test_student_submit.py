"""`python -m grader submit`: validation, then a submission.zip with a manifest."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import datetime, timezone

import pytest

from grader import __version__
from grader.student import submit as submit_module
from grader.student.submit import SubmitError, make_submission

NOW = datetime(2026, 12, 1, 10, 0, 0, tzinfo=timezone.utc)


def test_zip_holds_modules_then_manifest_with_hashes(make_folder):
    folder = make_folder("correct")
    submission = make_submission(folder, student="alice", now=NOW)
    with zipfile.ZipFile(submission.path) as archive:
        assert archive.namelist() == ["layers.py", "manifest.json"]
        manifest = json.loads(archive.read("manifest.json"))
        layers = archive.read("layers.py")
    assert layers == (folder / "layers.py").read_bytes()
    assert manifest == {"student": "alice", "assignment": "mini",
                        "submitted_at": "2026-12-01T10:00:00+00:00",
                        "files": {"layers.py": hashlib.sha256(layers).hexdigest()},
                        "tool_version": __version__}
    assert datetime.fromisoformat(manifest["submitted_at"]).utcoffset().total_seconds() == 0


def test_same_files_at_same_moment_give_identical_bytes(make_folder, tmp_path):
    folder = make_folder("correct")
    a = make_submission(folder, student="alice", now=NOW, out=tmp_path / "a.zip").path
    b = make_submission(folder, student="alice", now=NOW, out=tmp_path / "b.zip").path
    assert a.read_bytes() == b.read_bytes()


def test_manifest_is_accepted_by_the_batch_reader(make_folder):
    from grader.batch.manifest import parse_manifest, valid_student_id

    submission = make_submission(make_folder("correct"), student="alice.b@x+1", now=NOW)
    with zipfile.ZipFile(submission.path) as archive:
        parsed = parse_manifest(archive.read("manifest.json"))
    assert valid_student_id("alice.b@x+1")
    assert (parsed.student, parsed.assignment) == ("alice.b@x+1", "mini")
    assert parsed.files == submission.manifest["files"]
    assert parsed.submitted_at == "2026-12-01T10:00:00+00:00"


@pytest.mark.parametrize("variant, problem", [
    ("no_backward", "layers.py has no function affine_backward"),
    ("import_error", "layers.py does not import: ModuleNotFoundError"),
])
def test_invalid_modules_are_refused_with_the_reason(make_folder, variant, problem):
    folder = make_folder(variant)
    with pytest.raises(SubmitError, match=problem):
        make_submission(folder, student="alice", now=NOW)
    assert not (folder / "submission.zip").exists()


def test_student_id_rule_is_the_batch_graders_rule():
    from grader.batch import manifest

    candidates = ["alice", "a.b@c+d-e_f", "../etc", "a..b", "", " a", "a b", "-a", "x" * 128,
                  "x" * 129, "é", "a/b", "a\\b", "A1"]
    assert [submit_module.valid_student_id(c) for c in candidates] == \
        [manifest.valid_student_id(c) for c in candidates]


@pytest.mark.parametrize("student", ["../etc", "", "a b", "x" * 200])
def test_student_ids_that_are_not_plain_names_are_refused(make_folder, student):
    with pytest.raises(SubmitError, match="student id"):
        make_submission(make_folder("correct"), student=student, now=NOW)


def test_a_module_over_the_size_limit_is_refused(make_folder, monkeypatch):
    folder = make_folder("correct")
    monkeypatch.setattr(submit_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(SubmitError, match="layers.py is .* bytes; the limit is 100"):
        make_submission(folder, student="alice", now=NOW)


def test_a_missing_module_is_refused(make_folder):
    folder = make_folder("correct")
    (folder / "layers.py").unlink()
    with pytest.raises(SubmitError, match="layers.py is missing"):
        make_submission(folder, student="alice", now=NOW)
