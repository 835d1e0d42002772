"""The student runtime (grader.release.runtime): one copy of the framework's student-safe
modules for every assignment, split from each student folder when the release is written."""

from __future__ import annotations

import shutil

import pytest

from grader.release.build import ReleaseError
from grader.release.pipeline import assignment_names, course_runtime
from grader.release.runtime import RUNTIME, copy_student_folder, split_runtime, union

from release_support import ASSIGNMENTS, REPO


def test_split_runtime_parts_a_student_folder_into_its_own_files_and_the_framework():
    own, shared = split_runtime({"layers.py": b"a", "grader/cli.py": b"b", "grader.txt": b"c"})
    assert own == {"layers.py": b"a", "grader.txt": b"c"} and shared == {"grader/cli.py": b"b"}


def test_union_holds_every_share_and_refuses_two_that_disagree():
    assert union({"a": {"grader/x.py": b"1"}, "b": {"grader/x.py": b"1", "grader/y.py": b"2"}}) \
        == {"grader/x.py": b"1", "grader/y.py": b"2"}
    with pytest.raises(RuntimeError, match="grader/x.py: the student runtime of a and of b differ"):
        union({"a": {"grader/x.py": b"1"}, "b": {"grader/x.py": b"2"}})


def test_the_course_runtime_of_one_build_still_holds_what_every_assignment_needs(builds):
    """Releasing one assignment must not drop a module only another one needs."""
    alone = course_runtime([builds[ASSIGNMENTS[0]]])
    for name in ASSIGNMENTS:
        assert split_runtime(builds[name].files)[1].items() <= alone.items(), name


def test_an_assignment_named_like_the_runtime_folder_is_refused(tmp_path):
    (tmp_path / "solutions" / RUNTIME).mkdir(parents=True)
    (tmp_path / "solutions" / RUNTIME / "assignment.toml").write_text("")
    with pytest.raises(ReleaseError, match="rename the assignment"):
        assignment_names(tmp_path)


def test_copy_student_folder_gives_the_folder_with_the_runtime_and_names_a_missing_one(tmp_path):
    folder = copy_student_folder(REPO / "assignments", ASSIGNMENTS[0], tmp_path / "one")
    assert (folder / "grader" / "student" / "cli.py").is_file()
    assert (folder / "assignment.toml").is_file()
    shutil.copytree(REPO / "assignments" / ASSIGNMENTS[0], tmp_path / "a" / ASSIGNMENTS[0])
    with pytest.raises(FileNotFoundError, match="_runtime/grader is missing: run `make release`"):
        copy_student_folder(tmp_path / "a", ASSIGNMENTS[0], tmp_path / "two")
