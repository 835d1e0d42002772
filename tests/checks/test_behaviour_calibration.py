"""Calibration of the behavioural checks against the reference, and their cost through the runner.

The thresholds in grader.checks.behaviour_* must hold for the reference on every seed, with
margin: here each scenario runs on many seeds with its thresholds TIGHTENED (by the factor in
TIGHTER), in process (InProcessRunner over the reference modules). A scenario that only passes
at its published threshold would fail here first. The measured figures quoted in the modules'
comments come from `test_reference_figures` (run it with -s to print them).
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from grader.assignment import load_assignment
from grader.course import course_import
from grader.release.pipeline import repo_root
from grader.checks.behaviour_inprocess import InProcessRunner
from grader.runner.client import StudentProcess

from cpu_time import cpu_seconds, process_cpu_seconds

_SOLUTIONS = repo_root() / "solutions"
# the assignments' own behavioural scenarios, beside their solutions
bn = course_import(_SOLUTIONS / "backprop", "behaviours.batchnorm")
dqn = course_import(_SOLUTIONS / "backprop", "behaviours.dqn")
learning = course_import(_SOLUTIONS / "backprop", "behaviours.learning")
relu = course_import(_SOLUTIONS / "backprop", "behaviours.relu")
sigmoid = course_import(_SOLUTIONS / "backprop", "behaviours.sigmoid")
recurrent = course_import(_SOLUTIONS / "rnn", "behaviours")



def _scenario(module, name, **kwargs):
    return (getattr(module, name), kwargs, name + "".join(f"-{v}" for v in kwargs.values()))


BACKPROP = [
    _scenario(sigmoid, "sigmoid_saturation"),
    _scenario(sigmoid, "sigmoid_gradient_bound"),
    _scenario(sigmoid, "sigmoid_forward_extremes"),
    _scenario(sigmoid, "sigmoid_backward_extremes"),
    _scenario(relu, "dead_relu_zero_gradient"),
    _scenario(relu, "dying_relus_after_large_step"),
    _scenario(relu, "leaky_relu_negative_slope"),
    _scenario(relu, "prelu_slope_gradient"),
    _scenario(dqn, "clip_backward_zero_outside"),
    _scenario(dqn, "huber_gradient_is_clipped_delta"),
    _scenario(dqn, "td_loss_gradient_to_taken_actions"),
    _scenario(bn, "batchnorm_forward_scale_invariance"),
    _scenario(bn, "batchnorm_test_mode_running_stats"),
    _scenario(bn, "batchnorm_dx_sums_to_zero", backward="batchnorm_backward"),
    _scenario(bn, "batchnorm_dx_sums_to_zero", backward="batchnorm_backward_alt"),
    _scenario(bn, "batchnorm_backward_scale", backward="batchnorm_backward"),
    _scenario(bn, "batchnorm_backward_scale", backward="batchnorm_backward_alt"),
    _scenario(learning, "two_layer_net_overfits"),
]
RNN = [
    _scenario(recurrent, "rnn_vanishing_gradient"),
    _scenario(recurrent, "rnn_exploding_gradient"),
    _scenario(recurrent, "clip_grad_norm_bounds_explosion"),
    _scenario(recurrent, "lstm_carries_gradient"),
]

ALL_SCENARIOS = pytest.mark.parametrize(
    "assignment,function,kwargs",
    [pytest.param("backprop", f, k, id=i) for f, k, i in BACKPROP]
    + [pytest.param("rnn", f, k, id=i) for f, k, i in RNN])

# Stricter thresholds the reference must still meet on every seed: the published ones leave
# at least this much room. (module, constant) -> tightened value.
TIGHTER = {
    (sigmoid, "MIN_SATURATED_FRACTION"): 0.95,      # published 0.90; reference >= 0.969
    (sigmoid, "MAX_WEIGHT_GRADIENT_RATIO"): 0.10,   # published 0.20; reference <= 0.085
    (relu, "MIN_DEAD_FRACTION"): 0.44,              # published 0.40; reference >= 0.456
    (recurrent, "MAX_VANISHING_RATIO"): 1e-7,       # published 1e-5; reference <= 1.8e-8
    (recurrent, "MIN_EXPLODING_RATIO"): 1e5,        # published 1e3; reference >= 4.9e5
    (recurrent, "MIN_LSTM_RATIO"): 0.1,             # published 1e-2; reference >= 0.19
    (learning, "MAX_STEPS"): 30,                    # published 100; reference <= 19 steps
    (bn, "SCALE_TOLERANCE"): 1e-5,                  # published 5e-5
}


@pytest.fixture(scope="module")
def reference_runners():
    return {name: InProcessRunner(load_assignment(name).reference_modules())
            for name in ("backprop", "rnn")}


@pytest.fixture
def tightened(monkeypatch):
    for (module, constant), value in TIGHTER.items():
        assert hasattr(module, constant), constant
        monkeypatch.setattr(module, constant, value)


SEEDS = 25


@ALL_SCENARIOS
def test_reference_passes_tightened_thresholds(assignment, function, kwargs, reference_runners,
                                               tightened):
    runner = reference_runners[assignment]
    for seed in range(SEEDS):
        function(runner, np.random.default_rng(seed), **kwargs)


@pytest.mark.slow
@ALL_SCENARIOS
def test_reference_passes_tightened_thresholds_on_200_seeds(assignment, function, kwargs,
                                                            reference_runners, tightened):
    runner = reference_runners[assignment]
    for seed in range(SEEDS, 200):
        function(runner, np.random.default_rng(seed), **kwargs)


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
    for name in ("backprop", "rnn"):
        folder = tmp_path_factory.mktemp(f"reference-{name}")
        for file in load_assignment(name).root.glob("*.py"):
            if not file.name.endswith("checks.py"):
                shutil.copyfile(file, folder / file.name)
        processes[name] = StudentProcess(str(folder))
    yield processes
    for process in processes.values():
        process.close()


@ALL_SCENARIOS
def test_scenario_runs_well_under_half_a_second_through_the_runner(assignment, function, kwargs,
                                                                   reference_processes):
    process = reference_processes[assignment]
    function(process, np.random.default_rng(0), **kwargs)  # warm-up: imports in the child
    child = process._proc.pid
    start = cpu_seconds() + process_cpu_seconds(child)
    function(process, np.random.default_rng(1), **kwargs)
    elapsed = cpu_seconds() + process_cpu_seconds(child) - start
    # CPU seconds of the grader and the child (not wall clock: it holds on a loaded machine)
    assert elapsed < 0.35, f"{function.__name__} took {elapsed:.3f} CPU-s against the reference"
