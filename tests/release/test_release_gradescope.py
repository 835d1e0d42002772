"""dist/<a>-gradescope.zip: unpacked as Gradescope does, it grades a submission into results.json."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from release_support import REPO

NAME = "rnn"


def _autograder(builds, tmp_path, *, secret=True):
    root = tmp_path / "autograder"
    zipfile.ZipFile(io.BytesIO(builds[NAME].dist[f"{NAME}-gradescope.zip"])).extractall(root / "source")
    if secret:
        (root / "source" / "course_secret").write_bytes(b"test course secret\n")
    (root / "submission").mkdir()
    for stem in builds[NAME].assignment.modules:
        shutil.copyfile(REPO / "solutions" / NAME / f"{stem}.py", root / "submission" / f"{stem}.py")
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"email": "ada@example.org"}]}))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "PYTHON": sys.executable}
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env,
                          capture_output=True, text=True, timeout=900)
    return root, done


def test_bundle_grades_the_reference_at_full_marks(builds, tmp_path):
    root, done = _autograder(builds, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == pytest.approx(builds[NAME].assignment.points)
    assert all(t["status"] == "passed" for t in results["tests"])


def test_bundle_refuses_to_grade_without_the_course_secret(builds, tmp_path):
    root, done = _autograder(builds, tmp_path, secret=False)
    assert done.returncode != 0 and "course_secret" in done.stdout
    assert not (root / "results" / "results.json").exists()


def test_bundle_scripts_are_executable_and_no_secret_ships(builds):
    archive = zipfile.ZipFile(io.BytesIO(builds[NAME].dist[f"{NAME}-gradescope.zip"]))
    modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert "course_secret" not in modes
