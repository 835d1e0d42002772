"""The student modules: every task's functions stubbed with their task id, the rest unchanged."""

from __future__ import annotations

import ast
import re

import pytest

from grader import markers
from grader.release.build import Build, ReleaseError
from grader.release.strip import strip_modules, task_lookup

from release_support import ASSIGNMENTS, REPO


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_solution_region_becomes_a_stub_naming_its_task(builds, name):
    build = builds[name]
    for stem in build.assignment.modules:
        source = markers.read_source(build.assignment.root / f"{stem}.py")
        regions = [r for r in markers.find_regions(source) if r.kind == markers.SOLUTION]
        released = build.files[f"{stem}.py"].decode()
        stubs = re.findall(r'raise NotImplementedError\("Implement (\w+) \(task ([\w/]+)\)"\)', released)
        assert len(stubs) == len(regions)
        task_ids = {t.id for t in build.assignment.tasks}
        for function, task in stubs:
            assert task in task_ids
            assert f"{stem}.{function}" in build.assignment.task(task).functions
        assert "BEGIN SOLUTION" not in released and "END SOLUTION" not in released
        ast.parse(released)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_code_outside_regions_ships_unchanged(builds, name):
    build = builds[name]
    for stem in build.assignment.modules:
        source = markers.read_source(build.assignment.root / f"{stem}.py")
        inside = set()
        for r in markers.find_regions(source):
            inside.update(range(r.begin, r.end + 1))
        outside = [l for n, l in enumerate(source.splitlines(), 1) if n not in inside]
        released = [l for l in build.files[f"{stem}.py"].decode().splitlines()
                    if "# YOUR CODE HERE" not in l and "raise NotImplementedError(\"Implement" not in l]
        assert released == outside


def test_solution_region_in_function_no_task_lists_is_an_error(builds, tmp_path):
    build = builds[ASSIGNMENTS[0]]
    lookup = task_lookup(Build(assignment=build.assignment, repo=REPO), build.assignment.modules[0])
    with pytest.raises(ReleaseError, match="no task in assignment.toml lists"):
        lookup("not_a_task_function")


def test_stripping_the_same_sources_twice_gives_the_same_bytes(builds):
    build = builds[ASSIGNMENTS[0]]
    again = Build(assignment=build.assignment, repo=REPO)
    strip_modules(again)
    for stem in build.assignment.modules:
        assert again.files[f"{stem}.py"] == build.files[f"{stem}.py"]
