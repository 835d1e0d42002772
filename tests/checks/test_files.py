"""File-level verdicts (issue 10): one message per file that does not import, misnamed files
named, the numpy-1 compatibility switch of assignment.toml."""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace

import numpy as np
import pytest

from grader.assignment import load_assignment
from grader.checks.files import (CourseRunner, misnamed, missing_message, numpy1_aliases_enabled,
                                 numpy1_names)
from grader.checks.grade import grade_submission
from grader.checks.secret import DEV_SECRET
from grader.runner.client import StudentProcess
from grader.runner.protocol import StudentError

AFFINE_NUMPY1 = '''
import numpy as np


def affine_forward(x, w, b):
    n = np.product(x.shape[1:]).astype(np.int)
    return x.reshape(x.shape[0], n).astype(np.float) @ w + b, (x, w, b)
'''
TASKS = ["backprop/affine_forward", "backprop/relu_forward"]


def _grade(folder, assignment="backprop", **runner):
    return grade_submission(folder, assignment=assignment, student_id="files", secret=DEV_SECRET,
                            runner_factory=partial(StudentProcess, **runner), tasks=TASKS,
                            with_plots=False)


def test_a_hanging_import_is_one_message_for_the_file(tmp_path):
    (tmp_path / "layers.py").write_text("while True:\n    pass\n\ndef affine_forward(x, w, b):\n"
                                        "    return x, None\n")
    result = _grade(tmp_path, call_timeout_s=1.0)
    assert result.status == "timeout"
    assert result.message.startswith("layers.py: importing it did not finish")
    assert {c.status for c in result.checks} == {"timeout"}
    assert all(c.diagnosis == "file_error" and "affine_forward" not in c.message
               for c in result.checks)


def test_an_import_that_raises_names_the_file_and_line_once(tmp_path):
    (tmp_path / "layers.py").write_text("import numpy as np\n\nSCALE = 1 / 0\n")
    result = _grade(tmp_path)
    assert result.message.startswith("layers.py line 3: ZeroDivisionError"), result.message
    assert all("ZeroDivisionError" not in c.message for c in result.checks)


def test_a_misnamed_file_is_named(tmp_path):
    (tmp_path / "layers (1).py").write_text("def affine_forward(x, w, b):\n    pass\n")
    (tmp_path / "notes.txt").write_text("")
    assert misnamed(tmp_path, "layers") == ["layers (1).py"]
    assert "'layers (1).py'" in missing_message(tmp_path, "layers")
    result = _grade(tmp_path)
    assert "'layers (1).py': name the file layers.py" in result.message
    assert all("layers (1).py" in c.message for c in result.checks)


@pytest.mark.parametrize("name", ["Layers.py", "layers-copy.py", "layers.py.txt", "layers2.py"])
def test_look_alike_names_count_as_misnamed(tmp_path, name):
    (tmp_path / name).write_text("")
    assert misnamed(tmp_path, "layers") == [name]


def test_numpy1_names_are_found_under_any_import_name():
    source = "import numpy as onp\nx = onp.int(3)\ny = onp.product([1])\nz = a.reshape(newshape=2)\n"
    assert numpy1_names(source) == ["np.int", "np.product", "reshape(newshape=...)"]
    assert numpy1_names("import numpy as np\nx = np.int64(3)\n") == []


def test_numpy1_aliases_are_on_by_default(tmp_path):
    (tmp_path / "layers.py").write_text(AFFINE_NUMPY1)
    result = _grade(tmp_path)
    affine = [c for c in result.checks if c.task == "backprop/affine_forward"]
    assert affine and all(c.status == "passed" for c in affine)
    assert "np.int -> int" in result.message and "np.product -> np.prod" in result.message
    assert numpy1_aliases_enabled(load_assignment("backprop"))


def test_a_course_can_turn_the_numpy1_aliases_off(tmp_path):
    (tmp_path / "assignment.toml").write_text("[assignment]\nnumpy1_aliases = false\n")
    assert not numpy1_aliases_enabled(SimpleNamespace(root=tmp_path))
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "layers.py").write_text(AFFINE_NUMPY1)
    x, w, b = np.ones((2, 3)), np.ones((3, 4)), np.zeros(4)
    runner = CourseRunner(StudentProcess(str(tmp_path / "s")), numpy1_aliases=False)
    try:
        with pytest.raises(StudentError, match="np.product|product"):
            runner.call("layers", "affine_forward", x, w, b, keep=(1,))
    finally:
        runner.close()
    runner = StudentProcess(str(tmp_path / "s"))
    try:
        out, _ = runner.call("layers", "affine_forward", x, w, b, keep=(1,))
        assert out.shape == (2, 4)
    finally:
        runner.close()


def test_a_module_no_task_lives_in_is_never_said_to_be_missing(tmp_path):
    (tmp_path / "layers.py").write_text("def affine_forward(x, w, b):\n    return x @ w + b, None\n")
    result = _grade(tmp_path)
    assert "layer_utils" not in result.message
    assert all("layer_utils" not in c.message for c in result.checks)
