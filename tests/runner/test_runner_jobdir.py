"""The job dir: a copy of the submission's regular files only, removed afterwards."""

import os

from grader.runner import jobdir
from grader.runner.jobdir import JobDir


def test_only_regular_files_and_folders_are_copied(tmp_path):
    sub = tmp_path / "sub"
    (sub / "pkg").mkdir(parents=True)
    (sub / "layers.py").write_text("x = 1\n")
    (sub / "pkg" / "util.py").write_text("y = 2\n")
    (sub / "__pycache__").mkdir()
    (sub / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"\0")
    secret = tmp_path / "solutions.py"
    secret.write_text("SECRET\n")
    os.symlink(secret, sub / "link.py")
    os.symlink(tmp_path, sub / "linkdir")
    job = JobDir(sub)
    try:
        copied = sorted(os.path.relpath(os.path.join(d, f), job.work)
                        for d, _, files in os.walk(job.work) for f in files)
        assert copied == ["layers.py", os.path.join("pkg", "util.py")]
    finally:
        job.remove()
    assert not os.path.exists(job.root)


def test_a_lone_module_file_becomes_a_one_module_package(tmp_path):
    module = tmp_path / "layers.py"
    module.write_text("x = 1\n")
    job = JobDir(module)
    try:
        assert os.listdir(job.work) == ["layers.py"]
    finally:
        job.remove()


def test_copying_stops_at_the_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(jobdir, "MAX_COPY_BYTES", 1000)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.py").write_text("a" * 600)
    (sub / "b.py").write_text("b" * 600)
    job = JobDir(sub)
    try:
        assert job.copied_bytes == 600 and len(os.listdir(job.work)) == 1
    finally:
        job.remove()


def test_removal_succeeds_even_after_the_student_locked_its_folders(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "layers.py").write_text("")
    job = JobDir(sub)
    locked = os.path.join(job.work, "locked")
    os.mkdir(locked)
    open(os.path.join(locked, "f"), "w").close()
    os.chmod(locked, 0o500)
    job.remove()
    assert not os.path.exists(job.root)
