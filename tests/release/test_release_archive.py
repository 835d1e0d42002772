"""Deterministic archives: the same release gives the same bytes, build after build."""

from __future__ import annotations

import io
import zipfile

import pytest

from grader.release.archive import FIXED_DATE, deterministic_zip
from grader.release.pipeline import build_release

from release_support import ASSIGNMENTS, REPO


def test_same_files_in_any_order_give_identical_bytes():
    files = {"b.py": b"print(2)\n", "a/c.txt": b"x" * 1000, "a.py": b""}
    reordered = dict(reversed(list(files.items())))
    assert deterministic_zip(files, prefix="p/") == deterministic_zip(reordered, prefix="p/")


def test_members_are_sorted_with_fixed_timestamps_and_modes():
    archive = zipfile.ZipFile(io.BytesIO(deterministic_zip({"z.py": b"1", "a.py": b"2"}, prefix="p/")))
    assert [i.filename for i in archive.infolist()] == ["p/a.py", "p/z.py"]
    assert {i.date_time for i in archive.infolist()} == {FIXED_DATE}
    assert {i.external_attr >> 16 for i in archive.infolist()} == {0o100644}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_student_zip_is_byte_identical_across_two_builds(builds, name):
    again = build_release([name], repo=REPO, gates=False)[0]
    assert again.dist[f"{name}-student.zip"] == builds[name].dist[f"{name}-student.zip"]
    assert again.files == builds[name].files
    assert again.dist == builds[name].dist  # the Gradescope zip and the nbgrader course too


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_student_zip_holds_exactly_the_student_folder(builds, name):
    build = builds[name]
    archive = zipfile.ZipFile(io.BytesIO(build.dist[f"{name}-student.zip"]))
    assert {i.filename: archive.read(i) for i in archive.infolist()} == {
        f"{name}/{rel}": data for rel, data in build.files.items()}
