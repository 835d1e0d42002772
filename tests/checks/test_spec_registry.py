"""Declaring checks: the decorator validates, the registry collects in source order."""

import textwrap

import pytest

from grader.checks import check
from grader.checks.registry import collect, collect_paths, points_by_task
from grader.checks.spec import SPEC_ATTRIBUTE


def test_check_id_is_assignment_slash_function_name():
    @check("backprop/affine_backward", points=2, visibility="hidden", message=" dx matches ")
    def affine_backward_hard(ctx):
        pass

    spec = getattr(affine_backward_hard, SPEC_ATTRIBUTE)
    assert spec.id == "backprop/affine_backward_hard"
    assert spec.hidden and spec.points == 2.0 and spec.message == "dx matches"


@pytest.mark.parametrize("kwargs", [
    {"task": "a/b", "points": 1, "visibility": "secret", "message": "m"},
    {"task": "a/b", "points": 0, "visibility": "visible", "message": "m"},
    {"task": "a/b", "points": True, "visibility": "visible", "message": "m"},
    {"task": "ab", "points": 1, "visibility": "visible", "message": "m"},
    {"task": "a/b", "points": 1, "visibility": "visible", "message": "  "},
])
def test_bad_declarations_fail_at_import_time(kwargs):
    task = kwargs.pop("task")
    with pytest.raises(ValueError):
        check(task, **kwargs)


def test_registry_collects_the_toy_checks_in_source_order(toy):
    specs = collect(toy)
    assert [s.id for s in specs] == ["toy/double_visible", "toy/double_hidden",
                                     "toy/negate_visible", "toy/negate_after_due"]
    assert points_by_task(specs) == {"toy/double": 2.0, "toy/negate": 1.0}


def _write(tmp_path, name, body):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(body))
    return path


def test_two_checks_with_one_id_are_refused(tmp_path):
    body = """
        from grader.checks import check

        @check("a/t", points=1, message="m")
        def same(ctx):
            pass
    """
    first, second = _write(tmp_path, "one_checks", body), _write(tmp_path, "two_checks", body)
    with pytest.raises(ValueError, match="share the id"):
        collect_paths([first, second], assignment_name="a")


def test_a_check_of_an_unknown_task_is_refused(tmp_path):
    path = _write(tmp_path, "checks", """
        from grader.checks import check

        @check("a/nope", points=1, message="m")
        def c(ctx):
            pass
    """)
    with pytest.raises(ValueError, match="unknown task"):
        collect_paths([path], assignment_name="a", task_ids={"a/t"})
