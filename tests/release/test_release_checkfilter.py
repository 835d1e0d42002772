"""Public checks: non-visible checks and hidden-tests regions are cut from the source text."""

from __future__ import annotations

import ast

import pytest

from grader.release.build import ReleaseError
from grader.release.checkfilter import filter_checks_source

from release_support import ASSIGNMENTS

SOURCE = '''\
from grader.checks import check


@check("demo/f", points=1, visibility="visible", message="f works")
def f_visible(ctx):
    ctx.student.call("m", "f", 1)


# The hard shapes only the grader uses.
@check("demo/f", points=2, visibility="hidden", message="f on hard shapes")
def f_hidden(ctx):
    shapes = [(7, 3, 5)]
    ctx.student.call("m", "f", shapes)


@check("demo/f", points=1, message="default visibility")
def f_default(ctx):
    pass


@check("demo/f", points=1, visibility="after_due_date", message="late")
def f_after_due(ctx):
    pass

### BEGIN HIDDEN TESTS
SECRET_SEEDS = [12345, 67890]
### END HIDDEN TESTS
'''


def test_hidden_and_after_due_date_checks_are_removed_with_their_comment():
    result = filter_checks_source(SOURCE, filename="checks.py")
    assert set(result.hidden_names) == {"f_hidden", "f_after_due"}
    for gone in ("f_hidden", "f_after_due", "(7, 3, 5)", "hard shapes only", "SECRET_SEEDS", "HIDDEN TESTS"):
        assert gone not in result.public
    assert "def f_visible(ctx):" in result.public and "def f_default(ctx):" in result.public
    ast.parse(result.public)


def test_removed_lines_are_reported_with_their_numbers():
    result = filter_checks_source(SOURCE, filename="checks.py")
    lines = dict(result.hidden_lines)
    assert lines[13] == '    ctx.student.call("m", "f", shapes)'
    assert lines[26] == "SECRET_SEEDS = [12345, 67890]"


def test_kept_lines_are_byte_for_byte_the_instructors():
    result = filter_checks_source(SOURCE.replace("\n", "\r\n"), filename="checks.py")
    assert '@check("demo/f", points=1, visibility="visible", message="f works")\r\n' in result.public


def test_visibility_that_is_not_a_literal_is_an_error_naming_the_line():
    source = 'from grader.checks import check\nV = "hidden"\n\n@check("demo/f", points=1, visibility=V, message="m")\ndef f(ctx):\n    pass\n'
    with pytest.raises(ReleaseError, match=r"checks.py:4: visibility must be a string literal"):
        filter_checks_source(source, filename="checks.py")


def test_solution_region_in_a_check_module_is_an_error():
    source = "def f(ctx):\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"
    with pytest.raises(ReleaseError, match="checks.py:2: a check module holds a solution region"):
        filter_checks_source(source, filename="checks.py")


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_checks_declare_only_visible_checks(builds, name):
    build = builds[name]
    for path in build.assignment.check_paths():
        tree = ast.parse(build.files[path.name])
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "visibility":
                assert node.value.value == "visible", f"{path.name}:{node.value.lineno}"
    for check_id in build.hidden_checks:
        assert all(check_id.split("/", 1)[1] not in data.decode("utf-8", "replace")
                   for rel, data in build.files.items() if rel.endswith(".py"))
