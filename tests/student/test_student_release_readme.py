"""What the release tells the student: the README calls "your code" only the modules holding
work, and requirements.txt lists what the notebook needs beyond numpy."""

from __future__ import annotations

import re

import pytest

from grader.release.pipeline import build_assignment
from grader.release.render import work_modules


@pytest.fixture(scope="module", params=["backprop", "rnn"])
def build(request):
    return build_assignment(request.param, gates=False)


def test_readme_names_only_the_files_with_work_as_your_code(build):
    readme = build.files["README.md"].decode()
    mine = work_modules(build)
    assert mine and "layer_utils" not in mine
    your_code = re.search(r"^- (.*): your code$", readme, re.MULTILINE).group(1)
    assert set(re.findall(r"`(\w+)\.py`", your_code)) == set(mine)
    for other in set(build.assignment.modules) - set(mine):
        assert f"`{other}.py`" in readme.split(": your code", 1)[1]  # listed as given


def test_requirements_list_the_notebooks_needs(build):
    requirements = build.files["requirements.txt"].decode()
    packages = {line.split(">=")[0].strip() for line in requirements.splitlines()
                if line.strip() and not line.startswith("#")}
    assert {"numpy", "matplotlib", "jupyter"} <= packages
    notebook = next(v for k, v in build.files.items() if k.endswith(".ipynb")).decode()
    imported = set(re.findall(r"^(?:import|from) (\w+)", notebook.replace("\\n", "\n"),
                              re.MULTILINE))
    third_party = imported - {"importlib", "pathlib", "sys", "grader", "os", "math", "json",
                              "time", "itertools", "functools", "collections"}
    assert third_party <= packages | {"numpy"}, third_party
    assert "requirements.txt" in build.files["README.md"].decode()
