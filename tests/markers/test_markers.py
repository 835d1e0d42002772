"""The .py stripper: regions become task-naming stubs, hidden tests vanish, malformed markers fail."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

from grader import markers
from grader.markers import MarkerError, find_regions, strip

MALFORMED = sorted((pathlib.Path(__file__).parent / "malformed").glob("*.py"))
TASK = markers.default_task("demo")

SIMPLE = '''\
import numpy as np


def affine_forward(x, w, b):
    """Affine layer; the doc mentions ### BEGIN SOLUTION but is not a marker."""
    out = None
    ### BEGIN SOLUTION
    out = x.reshape(x.shape[0], -1) @ w + b
    ### END SOLUTION
    cache = (x, w, b)
    return out, cache
'''


def test_solution_region_becomes_stub_naming_function_and_task():
    stripped = strip(SIMPLE, task_for=TASK)
    assert "x.reshape(x.shape[0], -1) @ w + b" not in stripped
    assert '    # YOUR CODE HERE\n' in stripped
    assert '    raise NotImplementedError("Implement affine_forward (task demo/affine_forward)")\n' in stripped
    assert "    cache = (x, w, b)\n    return out, cache\n" in stripped
    ast.parse(stripped)


def test_code_outside_markers_is_unchanged_line_for_line():
    stripped = strip(SIMPLE, task_for=TASK)
    kept = [line for line in SIMPLE.splitlines() if "SOLUTION" not in line or '"""' in line]
    kept.remove("    out = x.reshape(x.shape[0], -1) @ w + b")
    assert [l for l in stripped.splitlines() if "YOUR CODE" not in l and "raise Not" not in l] == kept


def test_marker_text_inside_string_literal_is_not_a_marker():
    source = (
        'def f():\n'
        '    text = """\n'
        '    ### BEGIN SOLUTION\n'
        '    """\n'
        '    s = "### END SOLUTION"\n'
        '    return text + s\n'
    )
    assert find_regions(source) == []
    assert strip(source, task_for=TASK) == source


def test_task_for_maps_function_to_task_id():
    stripped = strip(SIMPLE, task_for=lambda fn: {"affine_forward": "demo/affine"}[fn])
    assert "(task demo/affine)" in stripped


def test_decorated_function_keeps_decorators():
    source = (
        "import functools\n\n\n"
        "@functools.lru_cache(maxsize=None)\n"
        "@staticmethod\n"
        "def f(x):\n"
        "    ### BEGIN SOLUTION\n"
        "    return x * 2\n"
        "    ### END SOLUTION\n"
    )
    stripped = strip(source, task_for=TASK)
    assert stripped.startswith("import functools\n\n\n@functools.lru_cache(maxsize=None)\n@staticmethod\ndef f(x):\n")
    assert "task demo/f" in stripped
    ast.parse(stripped)


def test_nested_function_names_outermost_function_and_keeps_inner_indent():
    source = (
        "def outer(x):\n"
        "    def inner(y):\n"
        "        ### BEGIN SOLUTION\n"
        "        return y + 1\n"
        "        ### END SOLUTION\n"
        "    return inner(x)\n"
    )
    stripped = strip(source, task_for=TASK)
    assert '        raise NotImplementedError("Implement outer (task demo/outer)")\n' in stripped
    assert "    return inner(x)\n" in stripped
    ast.parse(stripped)


def test_method_in_class_is_named_by_class_and_method():
    source = (
        "class Net:\n"
        "    def loss(self, x):\n"
        "        ### BEGIN SOLUTION\n"
        "        return x\n"
        "        ### END SOLUTION\n"
    )
    (region,) = find_regions(source)
    assert region.function == "Net.loss"
    assert 'Implement loss (task demo/loss)' in strip(source, task_for=TASK)


def test_tab_indentation_is_preserved():
    source = "def f(x):\n\ty = 0\n\t### BEGIN SOLUTION\n\ty = x\n\t### END SOLUTION\n\treturn y\n"
    stripped = strip(source, task_for=TASK)
    assert "\t# YOUR CODE HERE\n\traise NotImplementedError(" in stripped
    assert stripped.endswith("\treturn y\n")
    ast.parse(stripped)


def test_crlf_line_endings_are_preserved():
    source = SIMPLE.replace("\n", "\r\n")
    stripped = strip(source, task_for=TASK)
    assert "\n" not in stripped.replace("\r\n", "")
    assert stripped.replace("\r\n", "\n") == strip(SIMPLE, task_for=TASK)


def test_hidden_tests_region_is_removed_without_stub():
    source = (
        "def visible(ctx):\n"
        "    return 1\n"
        "### BEGIN HIDDEN TESTS\n"
        "SECRET_SHAPES = [(3, 7, 5)]\n"
        "### END HIDDEN TESTS\n"
        "X = 2\n"
    )
    stripped = strip(source, task_for=TASK)
    assert stripped == "def visible(ctx):\n    return 1\nX = 2\n"
    assert markers.hidden_test_lines(source) == [(4, "SECRET_SHAPES = [(3, 7, 5)]")]


def test_solution_lines_reports_every_line_with_its_number():
    assert markers.solution_lines(SIMPLE) == [(8, "    out = x.reshape(x.shape[0], -1) @ w + b")]


def test_region_holding_the_whole_body_still_yields_a_function_with_a_body():
    source = 'def f(x):\n    """Doc."""\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n'
    stripped = strip(source, task_for=TASK)
    ast.parse(stripped)
    assert "raise NotImplementedError" in stripped


def test_stripping_is_idempotent_on_its_output():
    once = strip(SIMPLE, task_for=TASK)
    assert strip(once, task_for=TASK) == once


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.stem)
def test_malformed_markers_raise_error_naming_file_and_line(path):
    header = path.read_text().splitlines()[0]
    line, problem = re.fullmatch(r"# expect: (\d+) (.+)", header).groups()
    with pytest.raises(MarkerError) as info:
        strip(markers.read_source(path), task_for=TASK, filename=str(path))
    assert info.value.line == int(line), str(info.value)
    assert problem in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_malformed_corpus_is_not_empty():
    assert len(MALFORMED) >= 10
