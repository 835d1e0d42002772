"""Calibration of the behavioural checks against the reference, and their cost through the runner.

Each assignment declares its scenarios and tightened thresholds beside its solutions, in
calibration.py (`grader.checks.calibration`; the release refuses a hidden check running a
scenario not declared there). Here every declared scenario of every assignment runs on many
seeds with its assignment's thresholds TIGHTENED (TIGHTER), in process (InProcessRunner over
the reference modules). A scenario that only passes at its published threshold would fail here
first. The measured figures quoted in the modules' comments come from `test_reference_figures`
(run it with -s to print them).
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from grader.assignment import load_assignment
from grader.checks.calibration import load_calibrations
from grader.course import course_import
from grader.release.pipeline import assignment_names, repo_root
from grader.checks.behaviour_inprocess import InProcessRunner
from grader.runner.client import StudentProcess

from cpu_time import cpu_seconds, process_cpu_seconds

_SOLUTIONS = repo_root() / "solutions"
ASSIGNMENTS = assignment_names(repo_root())
CALIBRATION = {name: load_calibrations(_SOLUTIONS / name) for name in ASSIGNMENTS}
# the figures test reads one assignment's saturation set-up
sigmoid = course_import(_SOLUTIONS / "backprop", "behaviours.sigmoid")

ALL_SCENARIOS = pytest.mark.parametrize(
    "assignment,calibration",
    [pytest.param(name, item, id=f"{name}:{item.id}")
     for name in ASSIGNMENTS for item in CALIBRATION[name].calibrations])


def test_every_assignment_with_behaviours_declares_calibrations():
    with_behaviours = [n for n in ASSIGNMENTS if (_SOLUTIONS / n / "behaviours").is_dir()
                       or (_SOLUTIONS / n / "behaviours.py").is_file()]
    assert with_behaviours
    for name in with_behaviours:
        assert CALIBRATION[name].calibrations and CALIBRATION[name].tighter, name


@pytest.fixture(scope="module")
def reference_runners():
    return {name: InProcessRunner(load_assignment(name).reference_modules())
            for name in ASSIGNMENTS}


@pytest.fixture
def tightened(monkeypatch, assignment):
    for (module, constant), value in CALIBRATION[assignment].tighter.items():
        assert hasattr(module, constant), constant
        monkeypatch.setattr(module, constant, value)


SEEDS = 25


@ALL_SCENARIOS
def test_reference_passes_tightened_thresholds(assignment, calibration, reference_runners,
                                               tightened):
    runner = reference_runners[assignment]
    for seed in range(SEEDS):
        calibration.scenario(runner, np.random.default_rng(seed), *calibration.args,
                             **calibration.kwargs)


@pytest.mark.slow
@ALL_SCENARIOS
def test_reference_passes_tightened_thresholds_on_200_seeds(assignment, calibration,
                                                            reference_runners, tightened):
    runner = reference_runners[assignment]
    for seed in range(SEEDS, 200):
        calibration.scenario(runner, np.random.default_rng(seed), *calibration.args,
                             **calibration.kwargs)


def test_reference_figures(reference_runners):
    """The figures the thresholds are calibrated on, over 200 seeds (printed with -s)."""
    runner = reference_runners["backprop"]
    fractions, ratios = [], []
    N, D, H = sigmoid.SATURATION_SHAPE
    for seed in range(200):
        rng = np.random.default_rng(seed)
        x, w = rng.standard_normal((N, D)), rng.standard_normal((D, H))
        (local, dw_big), (_, dw_small) = sigmoid._affine_sigmoid_local(
            runner, x, [sigmoid.SATURATED_STD * w, sigmoid.HEALTHY_STD * w], np.zeros(H))
        fractions.append(np.mean(np.abs(local) < sigmoid.SMALL_LOCAL_GRADIENT))
        ratios.append(np.linalg.norm(dw_big) / np.linalg.norm(dw_small))
    print(f"saturation: fraction of local gradients < 1e-3 >= {min(fractions):.4f}, "
          f"weight-gradient ratio <= {max(ratios):.4f}")
    # issue 4 quotes >= 97% and <= 9.2% for this set-up; ours agrees within sampling noise
    assert min(fractions) >= 0.96 and max(ratios) <= 0.092


@pytest.fixture(scope="module")
def reference_processes(tmp_path_factory):
    processes = {}
    for name in ASSIGNMENTS:
        folder = tmp_path_factory.mktemp(f"reference-{name}")
        for file in load_assignment(name).root.glob("*.py"):
            if not file.name.endswith("checks.py"):
                shutil.copyfile(file, folder / file.name)
        processes[name] = StudentProcess(str(folder))
    yield processes
    for process in processes.values():
        process.close()


@ALL_SCENARIOS
def test_scenario_runs_well_under_half_a_second_through_the_runner(assignment, calibration,
                                                                   reference_processes):
    process = reference_processes[assignment]
    function = calibration.scenario
    args, kwargs = calibration.args, calibration.kwargs
    function(process, np.random.default_rng(0), *args, **kwargs)  # warm-up: imports in the child
    child = process._proc.pid
    start = cpu_seconds() + process_cpu_seconds(child)
    function(process, np.random.default_rng(1), *args, **kwargs)
    elapsed = cpu_seconds() + process_cpu_seconds(child) - start
    # CPU seconds of the grader and the child (not wall clock: it holds on a loaded machine)
    assert elapsed < 0.35, f"{function.__name__} took {elapsed:.3f} CPU-s against the reference"
