"""dist/nbgrader: the real `nbgrader generate_assignment` runs cleanly on the generated course,
and what it releases carries no solution and no hidden test."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from grader.release.leakscan import scan
from notebook_support import execute
from release_support import ASSIGNMENTS


@pytest.fixture(scope="module")
def course(released, tmp_path_factory):
    """A copy of dist/nbgrader after `nbgrader generate_assignment` of every assignment."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    root = tmp_path_factory.mktemp("course")
    for name in ASSIGNMENTS:
        shutil.copytree(released(name) / "dist" / "nbgrader", root, dirs_exist_ok=True)
    config = Config()
    config.CourseDirectory.root = str(root)
    # nbgrader migrates its gradebook by running `alembic`, found on PATH: the venv's bin.
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    api = NbGraderAPI(config=config)
    results = {name: api.generate_assignment(name, force=True, create=True) for name in ASSIGNMENTS}
    return root, results


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_generate_assignment_runs_cleanly(course, name):
    root, results = course
    assert results[name]["success"], results[name].get("error", "") + results[name].get("log", "")
    assert (root / "release" / name / f"{name}.ipynb").is_file()


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_notebook_has_solution_locked_and_graded_cells_worth_the_task_points(builds, name):
    nb = json.loads(builds[name].dist[f"nbgrader/source/{name}/{name}.ipynb"])
    meta = [c["metadata"].get("nbgrader", {}) for c in nb["cells"]]
    assert any(m.get("solution") for m in meta) and any(m.get("locked") and not m.get("grade") for m in meta)
    graded = {m["grade_id"]: m["points"] for m in meta if m.get("grade")}
    tasks = builds[name].assignment.tasks
    assert graded == {"test_" + t.id.split("/", 1)[1]: t.points for t in tasks}
    assert all("### BEGIN HIDDEN TESTS" in "".join(c["source"]) for c, m in zip(nb["cells"], meta) if m.get("grade"))


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_nbgrader_release_leaks_nothing(course, builds, name):
    root, _ = course
    files = {p.relative_to(root).as_posix(): p.read_bytes()
             for p in (root / "release" / name).rglob("*") if p.is_file()}
    assert f"release/{name}/{name}.ipynb" in files
    assert scan(files, builds[name].secrets) == []
    text = files[f"release/{name}/{name}.ipynb"].decode()
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    assert "YOUR CODE HERE" in text


def test_source_notebook_test_cells_pass_on_the_solutions(course):
    root, _ = course
    name = ASSIGNMENTS[-1]
    nb, error = execute(root / "source" / name / f"{name}.ipynb")
    assert error is None, str(error)[-2000:]


def test_released_nbgrader_notebook_fails_its_tests_not_its_definitions(course):
    root, _ = course
    name = ASSIGNMENTS[-1]
    nb, error = execute(root / "release" / name / f"{name}.ipynb")
    assert error is not None and error.ename == "NotImplementedError"
    failed = next(c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", [])))
    assert failed.metadata["nbgrader"]["grade"], "a definition cell failed, not a test cell"


def test_autograded_cell_catches_a_forward_off_by_a_constant(course, tmp_path):
    """A forward shifted by a constant keeps its gradients right: only the comparison with the
    reference's recorded outputs can catch it, and the task's test cell must fail."""
    import nbformat

    root, _ = course
    name = ASSIGNMENTS[-1]
    nb = nbformat.read(root / "source" / name / f"{name}.ipynb", as_version=4)
    grade_ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                and "_compare(" in c.source)
    function = test.source.split('_compare("', 1)[1].split('"', 1)[0]
    solution = nb.cells[grade_ids.index(function)]
    solution.source += (f"\n\n_right_{function} = {function}\n\n\ndef {function}(*args, **kwargs):\n"
                        f"    out, *rest = _right_{function}(*args, **kwargs)\n"
                        f"    return (out + 1.0, *rest)\n")
    path = tmp_path / name / f"{name}.ipynb"
    shutil.copytree(root / "source" / name, path.parent)
    nbformat.write(nb, path)
    executed, error = execute(path)
    assert error is not None and error.ename == "AssertionError"
    assert "differs from the reference" in error.evalue
    failed = next(c for c in executed.cells if any(o.get("output_type") == "error" for o in c.get("outputs", [])))
    assert failed.metadata["nbgrader"]["grade_id"] == test.metadata["nbgrader"]["grade_id"]
