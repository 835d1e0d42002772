"""The job folder holds only .py files and the manifest; the hash is a function of the files."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from grader.batch.unpack import BadSubmission, tree_hash, unpack

MODULES = ("layers", "layer_utils")
FILES = {"layers.py": b"def f():\n    return 1\n", "layer_utils.py": b"from .layers import *\n"}


def _folder(root, files):
    root.mkdir()
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_job_folder_keeps_only_python_files_and_the_manifest(tmp_path):
    manifest = {"student": "alice", "assignment": "fake", "submitted_at": "2026-12-01T10:00:00Z",
                "files": {n: hashlib.sha256(d).hexdigest() for n, d in FILES.items()}}
    source = _folder(tmp_path / "alice", {**FILES, "data.npy": b"\x93NUMPY", "notes.txt": b"hi",
                                         "manifest.json": json.dumps(manifest).encode(),
                                         "__pycache__/layers.cpython-311.pyc": b"\0"})
    job = tmp_path / "job"
    job.mkdir()
    unpacked = unpack(source, job, modules=MODULES, assignment="fake")
    assert sorted(p.name for p in job.iterdir()) == ["layer_utils.py", "layers.py", "manifest.json"]
    assert unpacked.files == ("layer_utils.py", "layers.py")
    assert unpacked.notes == ()
    assert unpacked.manifest.submitted_at == "2026-12-01T10:00:00+00:00"


def test_same_files_hash_the_same_from_a_folder_a_zip_or_a_zipped_folder(tmp_path):
    folder = _folder(tmp_path / "f", FILES)
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as archive:
        for name, data in reversed(list(FILES.items())):
            archive.writestr(name, data)
    with zipfile.ZipFile(tmp_path / "nested.zip", "w") as archive:
        for name, data in FILES.items():
            archive.writestr(f"my_work/{name}", data)
    hashes = set()
    for i, source in enumerate((folder, tmp_path / "z.zip", tmp_path / "nested.zip")):
        (tmp_path / f"job{i}").mkdir()
        hashes.add(unpack(source, tmp_path / f"job{i}", modules=MODULES).submission_hash)
    assert hashes == {tree_hash(FILES)}


def test_hash_changes_with_any_byte_or_name(tmp_path):
    base = tree_hash(FILES)
    assert tree_hash({**FILES, "layers.py": FILES["layers.py"] + b" "}) != base
    assert tree_hash({"layers2.py": FILES["layers.py"], "layer_utils.py": FILES["layer_utils.py"]}) != base
    # length-prefixed: moving bytes between the name and the content changes the hash
    assert tree_hash({"a.py": b"bc"}) != tree_hash({"a.pyb": b"c"})


def test_files_edited_after_submit_are_graded_with_a_note(tmp_path):
    manifest = {"student": "alice", "files": {"layers.py": hashlib.sha256(b"old").hexdigest()}}
    source = _folder(tmp_path / "alice", {**FILES, "manifest.json": json.dumps(manifest).encode()})
    (tmp_path / "job").mkdir()
    unpacked = unpack(source, tmp_path / "job", modules=MODULES)
    assert unpacked.notes == ("files changed after `submit` (layers.py); graded as found",)


def test_a_job_folder_that_is_not_empty_is_never_overwritten(tmp_path):
    source = _folder(tmp_path / "alice", FILES)
    job = _folder(tmp_path / "job", {"layers.py": b"ours"})
    with pytest.raises(BadSubmission, match="conflicting paths"):
        unpack(source, job, modules=MODULES)
    assert (job / "layers.py").read_bytes() == b"ours"


def test_zip_from_the_student_submit_command_unpacks_with_its_manifest(tmp_path):
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from grader.student.submit import build_manifest, write_zip
    moment = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    manifest = build_manifest(SimpleNamespace(name="fake"), "alice", FILES, moment)
    path = write_zip(tmp_path / "submission.zip", FILES, manifest)
    (tmp_path / "job").mkdir()
    unpacked = unpack(path, tmp_path / "job", modules=MODULES, assignment="fake")
    assert (unpacked.manifest.student, unpacked.manifest.submitted_at) == (
        "alice", "2026-12-01T10:00:00+00:00")
    assert unpacked.notes == () and unpacked.submission_hash == tree_hash(FILES)
    with pytest.raises(BadSubmission, match="made for assignment 'fake', not 'rnn'"):
        (tmp_path / "job2").mkdir()
        unpack(path, tmp_path / "job2", modules=MODULES, assignment="rnn")
