"""assignments/ is committed and current; writing the release twice changes nothing; the
framework's student runtime is committed once (assignments/_runtime), and changing one
assignment rewrites only its own folder."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections import defaultdict

import pytest

from grader.release.leakscan import scan
from grader.release.pipeline import stale_files, stale_runtime, write_release
from grader.release.runtime import RUNTIME

from release_support import ASSIGNMENTS, REPO


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_release_matches_what_make_release_writes_now(builds, name):
    stale = stale_files(builds[name], REPO / "assignments" / name)
    assert not stale, ("assignments/ is stale; run `make release` and commit:\n  " + "\n  ".join(stale))


def test_committed_student_runtime_matches_what_make_release_writes_now(builds):
    stale = stale_runtime([builds[name] for name in ASSIGNMENTS], REPO / "assignments" / RUNTIME)
    assert not stale, ("assignments/_runtime is stale; run `make release` and commit:\n  "
                       + "\n  ".join(stale))


def test_assignments_folder_holds_only_released_assignments_and_the_runtime():
    folders = sorted(p.name for p in (REPO / "assignments").iterdir() if p.is_dir())
    assert folders == sorted([*ASSIGNMENTS, RUNTIME])
    assert sorted(p.name for p in (REPO / "assignments" / RUNTIME).iterdir()) == ["grader"]


def _digests(folder):
    """{sha256: [paths]} of every non-empty .py under `folder` (an empty __init__.py is no code)."""
    found = defaultdict(list)
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" not in path.parts and path.stat().st_size:
            found[hashlib.sha256(path.read_bytes()).hexdigest()].append(path)
    return found


def test_no_framework_file_is_committed_twice_under_assignments():
    framework = _digests(REPO / "grader")
    released = _digests(REPO / "assignments")
    shipped = {digest: paths for digest, paths in released.items() if digest in framework}
    assert len(shipped) >= 20, "the runtime should hold the framework's student-safe modules"
    twice = {framework[d][0].relative_to(REPO).as_posix(): [p.relative_to(REPO).as_posix() for p in paths]
             for d, paths in shipped.items() if len(paths) > 1}
    assert not twice, f"framework files committed more than once under assignments/: {twice}"
    outside = [p.relative_to(REPO).as_posix() for paths in shipped.values() for p in paths
               if not p.is_relative_to(REPO / "assignments" / RUNTIME)]
    assert not outside, f"framework files in an assignment folder: {outside}"


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


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def _release(repo):
    done = subprocess.run([sys.executable, "-m", "grader", "release", "--repo", str(repo),
                           "--no-gates"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return _snapshot(repo / "assignments")


def test_changing_one_assignment_rewrites_only_its_folder_and_framework_code_only_the_runtime(
        builds, tmp_path):
    repo = tmp_path / "course"
    for part in ("grader", "solutions"):
        shutil.copytree(REPO / part, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
    changed_name, other = ASSIGNMENTS[-1], ASSIGNMENTS[0]
    before = _release(repo)

    module = repo / "solutions" / changed_name / f"{builds[changed_name].assignment.modules[0]}.py"
    text = module.read_text(encoding="utf-8")
    assert text.startswith('"""'), module
    module.write_text('"""Edited docstring. ' + text[3:], encoding="utf-8")
    after = _release(repo)
    changed = sorted(rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel))
    assert f"{changed_name}/{module.name}" in changed, changed
    assert all(rel.startswith(f"{changed_name}/") for rel in changed), changed

    gradcheck = repo / "grader" / "gradcheck.py"
    gradcheck.write_text(gradcheck.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    again = _release(repo)
    changed = sorted(rel for rel in set(after) | set(again) if after.get(rel) != again.get(rel))
    assert changed == [f"{RUNTIME}/grader/gradcheck.py"], changed
    assert {k: v for k, v in again.items() if k.startswith(f"{other}/")} == \
        {k: v for k, v in before.items() if k.startswith(f"{other}/")}

