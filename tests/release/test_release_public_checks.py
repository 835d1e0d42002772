"""The released public checks, run as a student runs them (`python -m grader check` in the
assignment folder): all pass with the solutions swapped in, all fail naming the task on stubs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from release_support import ASSIGNMENTS, copy_with_solutions


def _check(folder):
    done = subprocess.run([sys.executable, "-m", "grader", "check"], cwd=folder,
                          capture_output=True, text=True, timeout=900)
    return done.returncode, done.stdout + done.stderr


def _public_tasks(build):
    """Tasks that have at least one visible check in the release: declared in a released check
    module, or derived from the layer cases with its points in [public_check_points]."""
    from grader.assignment import tomllib
    from grader.checks.registry import collect

    text = "".join(build.files[p.name].decode() for p in build.assignment.check_paths())
    table = tomllib.loads(build.files["assignment.toml"].decode()).get("public_check_points", {})
    derived = {s.task for s in collect(build.assignment) if s.id in table}
    return [t.id for t in build.assignment.tasks if f'"{t.id}"' in text or t.id in derived]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_public_checks_all_pass_with_the_solutions_swapped_in(released, builds, name, tmp_path):
    folder = copy_with_solutions(released(name), name, tmp_path)
    code, out = _check(folder)
    assert code == 0, out
    for task in _public_tasks(builds[name]):
        assert f"✓  {task}" in out, out
    assert "✗" not in out


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_public_checks_all_fail_on_the_stubs_naming_the_task(released, builds, name, tmp_path):
    code, out = _check(released(name) / "unzipped" / name)
    assert code != 0
    tasks = _public_tasks(builds[name])
    assert tasks
    for task in tasks:
        assert f"✗  {task}" in out, out
    assert "✓" not in out
    task_ids = {t.id for t in builds[name].assignment.tasks}
    reasons = [line for line in out.splitlines() if line.startswith("       ") and f"{name}/" in line]
    assert reasons
    for line in reasons:  # each failure says which task's stub stopped it
        named = re.search(r"NotImplementedError: Implement \w+ \(task ([\w/]+)\)", line)
        assert named and named.group(1) in task_ids, line
