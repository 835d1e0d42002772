"""assignments/ is committed and current; writing the release twice changes nothing."""

from __future__ import annotations

import pytest

from grader.release.leakscan import scan
from grader.release.pipeline import stale_files, write_release

from release_support import ASSIGNMENTS, REPO


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_release_matches_what_make_release_writes_now(builds, name):
    stale = stale_files(builds[name], REPO / "assignments" / name)
    assert not stale, ("assignments/ is stale; run `make release` and commit:\n  " + "\n  ".join(stale))


def test_assignments_folder_holds_only_released_assignments():
    folders = sorted(p.name for p in (REPO / "assignments").iterdir() if p.is_dir())
    assert folders == ASSIGNMENTS


def test_stale_files_names_changed_missing_and_extra_files(builds, tmp_path):
    build = builds[ASSIGNMENTS[0]]
    write_release([build], assignments_dir=tmp_path / "assignments", dist_dir=tmp_path / "dist")
    folder = tmp_path / "assignments" / build.name
    assert stale_files(build, folder) == []
    (folder / "README.md").write_text("edited by hand\n")
    (folder / build.assignment.modules[0]).with_suffix(".py").unlink()
    (folder / "notes.txt").write_text("x")
    stale = stale_files(build, folder)
    assert f"{folder / 'README.md'}: differs" in stale
    assert f"{folder / (build.assignment.modules[0] + '.py')}: missing" in stale
    assert f"{folder / 'notes.txt'}: not produced by the release" in stale


def test_writing_the_release_twice_changes_nothing(builds, tmp_path):
    build = builds[ASSIGNMENTS[0]]
    first = write_release([build], assignments_dir=tmp_path / "a", dist_dir=tmp_path / "d")
    assert first
    (tmp_path / "a" / build.name / "leftover.py").write_text("old\n")
    second = write_release([build], assignments_dir=tmp_path / "a", dist_dir=tmp_path / "d")
    assert second == [f"removed leftover.py (a/{build.name})"]
    assert write_release([build], assignments_dir=tmp_path / "a", dist_dir=tmp_path / "d") == []


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_release_on_disk_passes_the_leak_scan(builds, name):
    folder = REPO / "assignments" / name
    on_disk = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert scan(on_disk, builds[name].secrets) == []
