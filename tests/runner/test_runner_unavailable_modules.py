"""A module the course does not install, imported at the top of a submission file (scipy,
matplotlib): the file still imports, the functions that never use it are graded, the ones
that do fail naming it, and the feedback says so once (issue 10, class 8)."""

from __future__ import annotations

from grader.checks.files import file_notes, unavailable_imports
from grader.runner.client import StudentProcess
from grader.runner.protocol import Call, StudentError

MISSING = "no_such_course_module_h10b"
GUARDED = "no_such_course_module_h10b_guarded"

SOURCE = f"""\
import numpy as np
import {MISSING}.special as sp
from {MISSING}.linalg import solve

try:
    from {GUARDED} import fast_sigmoid
except ImportError:
    fast_sigmoid = None


def relu(x):
    return np.maximum(x, 0)


def uses_it(x):
    return sp.expit(x)


def uses_the_from_import(x):
    return solve(x, x)


def guarded():
    return fast_sigmoid is None


def imports_inside(x):
    import {GUARDED}
    return x
"""


def test_only_the_functions_that_use_an_uninstalled_module_fail(tmp_path):
    (tmp_path / "layers.py").write_text(SOURCE)
    runner = StudentProcess(str(tmp_path))
    try:
        relu, uses, from_import, guarded, inside = runner.call_many([
            Call("layers", "relu", ([-1.0, 2.0],)),
            Call("layers", "uses_it", (1.0,)),
            Call("layers", "uses_the_from_import", (1.0,)),
            Call("layers", "guarded", ()),
            Call("layers", "imports_inside", (1.0,))])
    finally:
        runner.close()
    assert list(relu) == [0.0, 2.0]
    for failed, name in ((uses, "expit"), (from_import, "solve")):
        assert isinstance(failed, StudentError) and failed.kind == "exception", failed
        assert MISSING in failed.message and name in failed.message, failed.message
    # where the student decided what a failed import means, Python's own behaviour holds
    assert guarded is True
    assert isinstance(inside, StudentError) and "No module named" in inside.message


def test_the_feedback_names_the_uninstalled_module_once(tmp_path):
    (tmp_path / "layers.py").write_text(SOURCE)
    (tmp_path / "helpers.py").write_text("X = 1\n")
    source = SOURCE + "import helpers\nimport numpy\nfrom cs231n.im2col import *\n"
    assert unavailable_imports(source, tmp_path) == [MISSING]
    notes = file_notes(tmp_path, ["layers"], {}, numpy1_aliases=True)
    assert sum(MISSING in n for n in notes) == 1 and notes[0].startswith("layers.py imports ")


def test_any_use_of_an_uninstalled_module_at_the_top_level_names_it(tmp_path):
    """`plt.rcParams[...] = ...` at the top of the file: the one message for the file names
    the module, not a TypeError about a stand-in."""
    (tmp_path / "layers.py").write_text(
        f"import {MISSING}.pyplot as plt\nplt.rcParams['figure.figsize'] = (10, 8)\n")
    runner = StudentProcess(str(tmp_path))
    try:
        (failed,) = runner.call_many([Call("layers", "relu", (1.0,))])
    finally:
        runner.close()
    assert isinstance(failed, StudentError) and failed.kind == "import_error", failed
    assert f"{MISSING}.pyplot is not part of this course's files" in failed.message
    assert "rcParams" in failed.message
