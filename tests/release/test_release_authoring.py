"""The authoring gates: each mistake an instructor can make in solutions/<a>/ stops the release
with one line naming the file, the task, check or function, and what to do; never a traceback.

Each test breaks one thing in a temporary copy of solutions/backprop and runs the release on it
(`build_assignment`, whose first step is the authoring gate; `python -m grader release` for the
mistakes only a running check meets). The real assignments pass every gate.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.layercases import load_cases
from grader.release import authoring
from grader.release.build import ReleaseError
from grader.release.pipeline import build_assignment

from release_support import ASSIGNMENTS, REPO

NAME = "backprop"
IGNORE = shutil.ignore_patterns("__pycache__")


@pytest.fixture
def course(tmp_path):
    """A repository holding a copy of solutions/backprop; the real layer cases are registered
    again afterwards (loading the copy's cases registers them under the same name)."""
    shutil.copytree(REPO / "solutions" / NAME, tmp_path / "solutions" / NAME, ignore=IGNORE)
    yield tmp_path
    load_cases(REPO / "solutions" / NAME, NAME)


def edit(repo: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = repo / "solutions" / NAME / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{rel} no longer holds {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(repo: Path, rel: str, text: str) -> int:
    lines = (repo / "solutions" / NAME / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def release_problems(repo: Path) -> list[str]:
    """The lines of the ReleaseError the release raises on `repo`'s copy (it must raise)."""
    with pytest.raises(ReleaseError) as stopped:
        build_assignment(NAME, repo=repo)
    head, *lines = str(stopped.value).splitlines()
    assert head.startswith(f"authoring gate: {NAME} has {len(lines)} mistake(s)"), head
    return [line.strip() for line in lines]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_real_assignments_pass_every_authoring_gate(name):
    assert authoring.authoring_problems(load_assignment(REPO / "solutions" / name)) == []


def test_a_task_with_no_check_and_the_readme_total_it_would_advertise(course):
    total = load_assignment(REPO / "solutions" / NAME).points
    edit(course, "layers.py", "def relu_forward(", "def swish_forward(x):\n    return x, x\n\n\n"
                                                    "def relu_forward(")
    with open(course / "solutions" / NAME / "assignment.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[[tasks]]\nid = "backprop/swish_forward"\ntitle = "swish"\npoints = 2\n'
                   'functions = ["layers.swish_forward"]\n')
    assert release_problems(course) == [
        "solutions/backprop/assignment.toml: task backprop/swish_forward (2 points) has no check: "
        'declare one with @check("backprop/swish_forward", points=..., visibility=..., '
        "message=...) in a check module, or remove the task",
        f"solutions/backprop/assignment.toml: the README would advertise {total + 2:g} points "
        f"(the tasks' total) but the checks grade out of {total:g}: make each task's points the "
        "sum of its checks' points"]


def test_a_tasks_points_that_its_checks_do_not_add_up_to(course):
    edit(course, "assignment.toml", 'functions = ["layers.affine_forward"]\n',
         'functions = ["layers.affine_forward"]\n'
         'check_points = { values = 0.5, values_hidden = 0.25 }\n')
    problems = release_problems(course)
    assert problems[0] == (
        "solutions/backprop/assignment.toml: task backprop/affine_forward is worth 1 points but "
        "its checks add up to 0.75 (affine_forward_values 0.5, affine_forward_values_hidden 0.25): "
        "make the task's points or its checks' points agree")
    assert re.fullmatch(r".*README would advertise [\d.]+ points .* grade out of [\d.]+: .*",
                        problems[1])
    assert len(problems) == 2


def test_check_points_leaving_no_points_for_the_other_derived_checks(course):
    edit(course, "assignment.toml", 'functions = ["layers.affine_forward"]\n',
         'functions = ["layers.affine_forward"]\ncheck_points = { values = 1 }\n')
    assert release_problems(course) == [
        "solutions/backprop/assignment.toml: task backprop/affine_forward: no points left for its "
        "derived checks ['values_hidden'] (1.0 - 0 declared - 1.0 in check_points): lower those "
        "or raise the task's points"]


def test_a_check_naming_a_function_no_layer_case_calls(course):
    edit(course, "checks.py", 'forward_cases(A, "batchnorm_forward")',
         'forward_cases(A, "batchnorm_fwd")')
    line = line_of(course, "checks.py", '"batchnorm_fwd"')
    assert release_problems(course) == [
        f'solutions/backprop/checks.py:{line}: forward_cases(..., "batchnorm_fwd"): no layer case '
        "in cases.py calls batchnorm_fwd: add a LayerCase for it to cases.py or fix the name"]


def test_a_task_naming_a_function_its_module_does_not_define(course):
    edit(course, "assignment.toml", 'functions = ["layers.tanh_forward"]',
         'functions = ["layers.tanh_fwd"]')
    problems = release_problems(course)
    assert problems[-1] == (
        "solutions/backprop/assignment.toml: task backprop/tanh_forward names layers.tanh_fwd, "
        "which solutions/backprop/layers.py does not define: define it there or fix the name")
    # no layer case computes tanh_fwd, so the task lost its derived checks and their points
    assert problems[0].startswith("solutions/backprop/assignment.toml: task backprop/tanh_forward "
                                  "is worth 1 points but its checks add up to 0.25 ")
    assert "README would advertise" in problems[1] and len(problems) == 3


def test_check_points_on_a_task_that_derives_no_checks(course):
    edit(course, "assignment.toml", 'functions = []\n',
         'functions = []\ncheck_points = { values = 0.25 }\n')
    assert release_problems(course) == [
        "solutions/backprop/assignment.toml: task backprop/network_learns sets check_points, but "
        "no layer case computes its function, so it has no derived checks: remove them"]


def test_a_layer_case_calling_a_function_its_module_does_not_define(course):
    edit(course, "cases.py", '_layer("tanh", "tanh",', '_layer("tanh", "tanhh",')
    assert release_problems(course) == [
        f"solutions/backprop/cases.py: layer case backprop/layers.tanhh_forward[tanh] calls "
        f"layers.tanhh_{role}, which layers.py does not define: define it or fix the case"
        for role in ("forward", "backward")]


def test_a_task_with_no_hidden_check(course):
    """A declaration replacing a task's one hidden derived check with a visible one."""
    with open(course / "solutions" / NAME / "checks.py", "a", encoding="utf-8") as checks:
        checks.write('\n\n@check("backprop/relu_forward", points=0.5, visibility="visible",\n'
                     '       message="relu_forward matches the reference output")\n'
                     'def relu_forward_values_hidden(ctx):\n'
                     '    forward_check(ctx, forward_cases(A, "relu_forward"))\n')
    assert release_problems(course) == [
        "solutions/backprop/assignment.toml: task backprop/relu_forward has no hidden check (only "
        "backprop/relu_forward_values, backprop/relu_forward_values_hidden): add a check with "
        'visibility="hidden" (or "after_due_date"), so the grade does not rest only on inputs '
        "students can see"]


def test_a_hidden_behaviour_without_calibration(course):
    edit(course, "calibration.py", "    Calibration(relu.dead_relu_zero_gradient),\n", "")
    line = line_of(course, "behaviour_checks.py", "relu.dead_relu_zero_gradient(")
    assert release_problems(course) == [
        f"solutions/backprop/behaviour_checks.py:{line}: hidden check "
        "backprop/behaviour_dead_relu_zero_gradient runs the behaviour "
        "behaviours.relu.dead_relu_zero_gradient with no calibration: add "
        "Calibration(behaviours.relu.dead_relu_zero_gradient) to CALIBRATIONS in "
        "solutions/backprop/calibration.py (tests/checks/test_behaviour_calibration.py runs each "
        "against the reference on many seeds with the TIGHTER thresholds)"]


def test_a_behaviour_calibrated_with_other_arguments_than_the_check_runs(course):
    edit(course, "calibration.py", 'Calibration(bn.batchnorm_dx_sums_to_zero, kwargs={"backward": '
         '"batchnorm_backward_alt"}),\n', "")
    line = line_of(course, "behaviour_checks.py",
                   'bn.batchnorm_dx_sums_to_zero(ctx.student, ctx.rng, "batchnorm_backward_alt")')
    assert release_problems(course) == [
        f"solutions/backprop/behaviour_checks.py:{line}: hidden check "
        "backprop/behaviour_batchnorm_backward_alt_invariances runs the behaviour "
        "behaviours.batchnorm.batchnorm_dx_sums_to_zero (backward='batchnorm_backward_alt') with "
        "no calibration: add Calibration(behaviours.batchnorm.batchnorm_dx_sums_to_zero, "
        "kwargs={'backward': 'batchnorm_backward_alt'}) to CALIBRATIONS in "
        "solutions/backprop/calibration.py (tests/checks/test_behaviour_calibration.py runs each "
        "against the reference on many seeds with the TIGHTER thresholds)"]


def test_a_check_declaration_the_decorator_refuses_names_its_line(course):
    edit(course, "checks.py", '@check("backprop/tanh_forward", points=0.25, visibility="hidden"',
         '@check("backprop/tanh_forward", points=0, visibility="hidden"')
    line = line_of(course, "checks.py", '@check("backprop/tanh_forward", points=0,')
    assert release_problems(course) == [
        f"solutions/backprop/checks.py:{line} (in <module>): ValueError: points must be a "
        "positive number, got 0: fix this check module"]


def test_a_check_scoring_a_task_the_toml_does_not_declare(course):
    edit(course, "checks.py", '@check("backprop/tanh_forward", points=0.25, visibility="hidden"',
         '@check("backprop/tanh_fwd", points=0.25, visibility="hidden"')
    line = line_of(course, "checks.py", '@check("backprop/tanh_fwd"')
    # (the task it was taken from is not short of points: its derived checks share them)
    assert release_problems(course) == [
        f"solutions/backprop/checks.py:{line}: check backprop/tanh_forward_extreme_inputs_hidden "
        "scores task backprop/tanh_fwd, which solutions/backprop/assignment.toml does not "
        "declare: add the task there or fix the check's task id"]


def test_a_mistake_only_a_running_check_meets_is_one_line_naming_its_file(course):
    """A function name the static gate cannot read (built at run time) fails in the first step
    that runs the checks: the command prints one line naming checks.py and its line."""
    shutil.copytree(REPO / "grader", course / "grader", ignore=IGNORE)
    with open(course / "solutions" / NAME / "checks.py", "a", encoding="utf-8") as checks:
        checks.write('\n\n@check("backprop/affine_forward", points=0.5, visibility="visible",\n'
                     '       message="affine_forward matches the reference output")\n'
                     'def affine_forward_values(ctx):\n'
                     '    forward_check(ctx, forward_cases(A, "affine_" + "fwd")[:1])\n')
    line = line_of(course, "checks.py", '"affine_" + "fwd"')
    run = subprocess.run([sys.executable, "-m", "grader", "release", NAME, "--repo", str(course),
                          "--out", str(course / "out")], cwd=course, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        f"release stopped: record public expected values: solutions/backprop/checks.py:{line} "
        "(in affine_forward_values): KeyError: no layer case calls backprop/affine_fwd"]
    assert not (course / "out").exists()


def test_release_check_runs_only_the_authoring_gate(course):
    shutil.copytree(REPO / "grader", course / "grader", ignore=IGNORE)
    command = [sys.executable, "-m", "grader", "release", "--check", "--repo", str(course)]
    clean = subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=120)
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.splitlines()[0] == f"{NAME}: no authoring mistake found"
    edit(course, "calibration.py", "    Calibration(relu.dead_relu_zero_gradient),\n", "")
    broken = subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1
    assert broken.stderr.startswith(f"{NAME}: solutions/backprop/behaviour_checks.py:")
    assert "dead_relu_zero_gradient with no calibration" in broken.stderr
    assert not (course / "assignments").exists() and not (course / "dist").exists()


# ----------------------------------------------------------------------------- the replay gate

@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_visible_check_passes_replayed_from_the_recorded_values(builds, name):
    authoring.replay_gate(builds[name])


def _with_visible_check(monkeypatch, build, body):
    """collect() returns the build's checks with the first visible one's function replaced."""
    from grader.checks import registry

    real = registry.collect(build.assignment)
    first = next(i for i, spec in enumerate(real) if spec.visibility == "visible")
    specs = list(real)
    specs[first] = dataclasses.replace(real[first], function=body)
    monkeypatch.setattr(registry, "collect", lambda assignment: specs)
    return real[first].id


def test_a_visible_check_reading_the_reference_outside_expected_fails_the_replay(builds, monkeypatch):
    build = builds[NAME]
    check_id = _with_visible_check(monkeypatch, build, lambda ctx: ctx.reference["layers"])
    with pytest.raises(ReleaseError) as stopped:
        authoring.replay_gate(build)
    assert re.search(rf"tests/release/test_release_authoring\.py:\d+: visible check {check_id} "
                     r"uses the reference outside ctx\.expected \(.*\): the student release has "
                     r"no reference; compute reference values inside ctx\.expected\(key, thunk\)",
                     str(stopped.value)), str(stopped.value)


def test_a_visible_check_whose_value_was_not_recorded_fails_the_replay(builds, monkeypatch):
    build = builds[NAME]
    check_id = _with_visible_check(monkeypatch, build,
                                   lambda ctx: ctx.expected("never-recorded", lambda: 0.0))
    with pytest.raises(ReleaseError, match=rf"visible check {check_id} has no recorded expected "
                                           r"value \(KeyError: .*never-recorded"):
        authoring.replay_gate(build)
