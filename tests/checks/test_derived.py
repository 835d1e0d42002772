"""Checks derived from the layer cases: which, with what points, in what order, and overridden how."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from grader.assignment import load_assignment
from grader.checks import check
from grader.checks.derived import derive, is_derived, public_points_table
from grader.checks.registry import collect
from grader.checks.spec import SPEC_ATTRIBUTE
from grader.student.check import public_specs
from grader.student.layout import read_layout

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cases():
    return load_assignment("backprop").layer_cases()


def task(name, points, *, module="layers", **extra):
    return SimpleNamespace(id=f"backprop/{name}", points=points,
                           functions=(f"{module}.{name}",), **extra)


def declared(task_id, name, points, visibility="hidden"):
    @check(task_id, points=points, visibility=visibility, message=f"{name} is special")
    def function(ctx):
        pass

    function.__name__ = name
    spec = getattr(function, SPEC_ATTRIBUTE)
    return type(spec)(id=f"backprop/{name}", task=spec.task, points=spec.points,
                      visibility=spec.visibility, message=spec.message, function=function)


def by_id(specs):
    return {s.id.split("/", 1)[1]: s for s in specs}


def test_each_role_gets_its_standard_checks(cases):
    specs = by_id(derive("backprop", [task("affine_forward", 1), task("affine_backward", 3),
                                      task("svm_loss", 2)], [], cases))
    assert list(specs) == ["affine_forward_values", "affine_forward_values_hidden",
                           "affine_backward_own_gradient", "affine_backward_gradient_hidden",
                           "affine_backward_hard_gradient_hidden", "svm_loss_values",
                           "svm_loss_own_gradient", "svm_loss_values_hidden",
                           "svm_loss_gradient_hidden"]
    visible = {name for name, s in specs.items() if s.visibility == "visible"}
    assert visible == {"affine_forward_values", "affine_backward_own_gradient", "svm_loss_values",
                       "svm_loss_own_gradient"}
    assert specs["affine_backward_hard_gradient_hidden"].function.derived_call == (
        'gradient_check(ctx, hard(gradient_cases(A, "affine_backward")), against="reference")')
    assert "of your own affine_forward" in specs["affine_backward_own_gradient"].message


def test_a_function_no_layer_case_computes_gets_none(cases):
    assert derive("backprop", [task("no_such_layer", 1), SimpleNamespace(
        id="backprop/network", points=1, functions=())], [], cases) == []


def test_a_tasks_points_less_its_declared_checks_split_equally(cases):
    special = declared("backprop/affine_backward", "affine_backward_special", 0.6)
    specs = derive("backprop", [task("affine_backward", 3)], [[special]], cases)
    points = {s.id: s.points for s in specs}
    assert points.pop("backprop/affine_backward_special") == 0.6
    assert points == pytest.approx({f"backprop/affine_backward_{role}": 0.8 for role in
                                    ("own_gradient", "gradient_hidden", "hard_gradient_hidden")})


def test_check_points_fix_some_and_the_others_split_the_rest(cases):
    t = task("affine_backward", 3, check_points=(("hard_gradient_hidden", 0.5),))
    points = {s.id.split("/", 1)[1]: s.points for s in derive("backprop", [t], [], cases)}
    assert points == {"affine_backward_own_gradient": 1.25,
                      "affine_backward_gradient_hidden": 1.25,
                      "affine_backward_hard_gradient_hidden": 0.5}


def test_hard_check_false_runs_the_reference_gradient_on_every_case(cases):
    specs = by_id(derive("backprop", [task("relu_backward", 1, hard_check=False)], [], cases))
    assert list(specs) == ["relu_backward_own_gradient", "relu_backward_gradient_hidden"]
    assert specs["relu_backward_gradient_hidden"].function.derived_call == (
        'gradient_check(ctx, gradient_cases(A, "relu_backward"), against="reference")')
    assert specs["relu_backward_gradient_hidden"].message.endswith("on fresh and hard inputs")


def test_a_declaration_with_a_derived_id_replaces_it_in_place(cases):
    mine = declared("backprop/relu_forward", "relu_forward_values_hidden", 0.75)
    specs = derive("backprop", [task("relu_forward", 1)], [[mine]], cases)
    assert [s.id for s in specs] == ["backprop/relu_forward_values",
                                     "backprop/relu_forward_values_hidden"]
    assert specs[1] is mine and specs[0].points == 0.25


def test_derived_checks_come_before_the_first_declared_check_of_their_task_or_a_later_one(cases):
    tasks = [task("relu_forward", 1), task("tanh_forward", 1), task("clip_forward", 1)]
    first = [declared("backprop/tanh_forward", "tanh_special", 0.5)]
    other = [declared("backprop/relu_forward", "relu_behaviour", 0.5)]
    names = [s.id.split("/", 1)[1] for s in derive("backprop", tasks, [first, other], cases)]
    assert names == ["relu_forward_values", "relu_forward_values_hidden", "tanh_forward_values",
                     "tanh_forward_values_hidden", "tanh_special", "clip_forward_values",
                     "clip_forward_values_hidden", "relu_behaviour"]


@pytest.mark.parametrize("extra, match", [
    ({"check_points": (("values_hiden", 0.5),)}, r"names \['values_hiden'\]"),
    ({"check_points": (("values", 1.0),)}, "no points left"),
])
def test_check_points_that_cannot_hold_are_refused(cases, extra, match):
    with pytest.raises(ValueError, match=match):
        derive("backprop", [task("relu_forward", 1, **extra)], [], cases)


def test_fixed_points_make_only_the_checks_they_name(cases):
    fixed = {"backprop/affine_backward_own_gradient": 0.125}
    specs = derive("backprop", [task("affine_backward", 3)], [], cases, fixed_points=fixed)
    assert [(s.id, s.points) for s in specs] == list(fixed.items())


@pytest.mark.parametrize("name", ["backprop", "rnn"])
def test_the_release_derives_the_same_visible_checks_as_the_grader(name):
    """The committed student folder: its visible checks (declared and derived, with the points
    of [public_check_points]) are the grader's, in the same order."""
    grader_side = [s for s in collect(load_assignment(name)) if s.visibility == "visible"]
    student_side = public_specs(read_layout(REPO / "assignments" / name))
    assert [(s.id, s.task, s.points, s.message) for s in student_side] == [
        (s.id, s.task, s.points, s.message) for s in grader_side]
    assert public_points_table(grader_side) and all(
        is_derived(s) for s in grader_side
        if s.id in public_points_table(grader_side))


@pytest.mark.parametrize("line, match", [
    ("check_points = { values = -1 }", "check_points.values must be a positive number"),
    ("check_points = 2", "check_points must be a table"),
    ('hard_check = "no"', "hard_check must be true or false"),
])
def test_assignment_toml_refuses_bad_derived_check_settings(tmp_path, line, match):
    (tmp_path / "assignment.toml").write_text(
        '[assignment]\nname = "a"\nmodules = ["m"]\n\n[[tasks]]\nid = "a/f"\npoints = 1\n'
        f'functions = ["m.f"]\n{line}\n')
    with pytest.raises(ValueError, match=match):
        load_assignment(tmp_path / "assignment.toml")
