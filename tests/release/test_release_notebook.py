"""The walkthrough notebook runs top to bottom on the solutions and stops clearly on the stubs."""

from __future__ import annotations

import json

import pytest

from grader.assignment import load_assignment

from notebook_support import execute, images_of, stdout_of
from release_support import ASSIGNMENTS, copy_with_solutions

EXPERIMENT_PLOTS = {"backprop": 3, "rnn": 1}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_notebook_runs_top_to_bottom_with_the_solutions(released, name, tmp_path):
    folder = copy_with_solutions(released(name), name, tmp_path)
    nb, error = execute(folder / f"{name}.ipynb")
    assert error is None, str(error)[-2000:]
    out = stdout_of(nb)
    checked = [c for c in load_assignment(name).layer_cases() if c.kind != "forward"]
    assert out.count("ok    ") == len(checked) and "WRONG" not in out
    assert images_of(nb) >= EXPERIMENT_PLOTS[name]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_notebook_stops_with_not_implemented_error_naming_the_task_on_stubs(released, name, tmp_path):
    nb, error = execute(released(name) / "unzipped" / name / f"{name}.ipynb")
    assert error is not None
    assert error.ename == "NotImplementedError"
    assert f"(task {name}/" in error.evalue


def test_notebook_started_in_another_folder_says_where_to_start_jupyter(released, tmp_path):
    nb, error = execute(released("backprop") / "unzipped" / "backprop" / "backprop.ipynb",
                        cwd=tmp_path)
    assert error is not None and error.ename == "RuntimeError"
    assert str(tmp_path) in error.evalue and "start Jupyter there" in error.evalue


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_notebook_has_no_outputs_and_stable_cell_ids(builds, name):
    nb = json.loads(builds[name].files[f"{name}.ipynb"])
    assert all(not c.get("outputs") for c in nb["cells"])
    assert [c["id"] for c in nb["cells"]] == [f"{name}-{i:03d}" for i in range(len(nb["cells"]))]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_backprop_notebook_holds_the_four_experiments(builds):
    text = builds["backprop"].files["backprop.ipynb"].decode() + builds["rnn"].files["rnn.ipynb"].decode()
    for topic in ("sigmoid saturation", "dead ReLUs", "spectral radius below and above 1",
                  "clip by value versus the Huber loss"):
        assert topic in text
