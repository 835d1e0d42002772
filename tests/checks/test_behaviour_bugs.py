"""Plausible buggy layers FAIL the behavioural scenarios they are about; correct alternatives pass.

The buggy layers are entries of the bug catalogue (tests/bugs/), substituted into a copy of
the reference and loaded in this process (they are our files, not students'); each scenario
runs on a few seeds. Where the scenario can name the bug class, the diagnosis is checked too.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bugs"))
from bug_catalogue import BUGS_DIR, build_submission, discover, parse  # noqa: E402

from grader.assignment import load_assignment  # noqa: E402
from grader.course import course_import  # noqa: E402
from grader.release.pipeline import repo_root  # noqa: E402
from grader.checks.behaviour_inprocess import InProcessRunner, load_trusted_folder  # noqa: E402
from grader.checks.spec import CheckFailed  # noqa: E402

_SOLUTIONS = repo_root() / "solutions"
# the assignments' own behavioural scenarios, beside their solutions
bn = course_import(_SOLUTIONS / "backprop", "behaviours.batchnorm")
dqn = course_import(_SOLUTIONS / "backprop", "behaviours.dqn")
learning = course_import(_SOLUTIONS / "backprop", "behaviours.learning")
relu = course_import(_SOLUTIONS / "backprop", "behaviours.relu")
sigmoid = course_import(_SOLUTIONS / "backprop", "behaviours.sigmoid")
recurrent = course_import(_SOLUTIONS / "rnn", "behaviours")


SEEDS = (0, 1, 2)
_packages = itertools.count()

# (catalogue entry, scenario, scenario kwargs, expected diagnosis or None)
FAILING = [
    ("sigmoid/backward_dout_times_output", sigmoid.sigmoid_saturation, {}, None),
    ("sigmoid/backward_dout_times_output", sigmoid.sigmoid_gradient_bound, {},
     "used_output_not_input"),
    ("sigmoid/forward_overflows", sigmoid.sigmoid_forward_extremes, {}, "nan_inf"),
    ("relu/backward_mask_on_dout", relu.dead_relu_zero_gradient, {}, "mask_wrong_array"),
    ("relu/backward_mask_on_output_ge", relu.dead_relu_zero_gradient, {}, "mask_wrong_region"),
    ("relu/backward_mask_on_output_ge", relu.dying_relus_after_large_step, {}, None),
    ("relu/leaky_backward_ignores_alpha", relu.leaky_relu_negative_slope, {},
     "mask_wrong_region"),
    ("relu/prelu_dalpha_not_summed", relu.prelu_slope_gradient, {}, "missing_batch_sum"),
    ("relu/prelu_dalpha_mean", relu.prelu_slope_gradient, {}, "scaled:1/N"),
    ("dqn/clip_backward_passes_everything", dqn.clip_backward_zero_outside, {},
     "mask_wrong_region"),
    ("dqn/clip_backward_mask_on_dout", dqn.clip_backward_zero_outside, {}, "mask_wrong_array"),
    ("dqn/huber_unclipped_gradient", dqn.huber_gradient_is_clipped_delta, {}, None),
    ("dqn/huber_clipped_error_loss", dqn.huber_gradient_is_clipped_delta, {},
     "mask_wrong_region"),
    ("dqn/gather_backward_overwrites", dqn.td_loss_gradient_to_taken_actions, {},
     "overwrite_not_accumulate"),
    ("dqn/gather_backward_whole_row", dqn.td_loss_gradient_to_taken_actions, {},
     "mask_wrong_region"),
    ("norm/batchnorm_backward_missing_mean_terms", bn.batchnorm_dx_sums_to_zero,
     {"backward": "batchnorm_backward"}, None),
    ("norm/batchnorm_alt_divides_by_variance", bn.batchnorm_backward_scale,
     {"backward": "batchnorm_backward_alt"}, None),
    ("norm/batchnorm_test_uses_batch_stats", bn.batchnorm_test_mode_running_stats, {}, None),
    ("norm/batchnorm_running_stats_not_updated", bn.batchnorm_test_mode_running_stats, {},
     "zeros"),
    ("norm/batchnorm_momentum_swapped", bn.batchnorm_test_mode_running_stats, {}, None),
    ("affine/dw_transposed", learning.two_layer_net_overfits, {}, None),
    ("losses/softmax_wrong_class_gradient", learning.two_layer_net_overfits, {}, None),
    ("rnn/backward_no_accumulation_over_time", recurrent.rnn_exploding_gradient, {}, None),
    ("rnn/clip_grad_norm_per_array", recurrent.clip_grad_norm_bounds_explosion, {}, None),
    ("lstm/gate_order_swapped", recurrent.lstm_carries_gradient, {}, None),
    ("lstm/backward_drops_cell_gradient", recurrent.lstm_carries_gradient, {}, None),
]

# scenario -> the assignment whose modules it calls
BACKPROP_SCENARIOS = [
    (sigmoid.sigmoid_saturation, {}), (sigmoid.sigmoid_gradient_bound, {}),
    (sigmoid.sigmoid_forward_extremes, {}), (sigmoid.sigmoid_backward_extremes, {}),
    (relu.dead_relu_zero_gradient, {}), (relu.dying_relus_after_large_step, {}),
    (relu.leaky_relu_negative_slope, {}), (relu.prelu_slope_gradient, {}),
    (dqn.clip_backward_zero_outside, {}), (dqn.huber_gradient_is_clipped_delta, {}),
    (dqn.td_loss_gradient_to_taken_actions, {}),
    (bn.batchnorm_forward_scale_invariance, {}), (bn.batchnorm_test_mode_running_stats, {}),
    (bn.batchnorm_dx_sums_to_zero, {"backward": "batchnorm_backward"}),
    (bn.batchnorm_dx_sums_to_zero, {"backward": "batchnorm_backward_alt"}),
    (bn.batchnorm_backward_scale, {"backward": "batchnorm_backward"}),
    (bn.batchnorm_backward_scale, {"backward": "batchnorm_backward_alt"}),
    (learning.two_layer_net_overfits, {}),
]
RNN_SCENARIOS = [
    (recurrent.rnn_vanishing_gradient, {}), (recurrent.rnn_exploding_gradient, {}),
    (recurrent.clip_grad_norm_bounds_explosion, {}), (recurrent.lstm_carries_gradient, {}),
]


def _runner(entry, tmp_path) -> InProcessRunner:
    folder = build_submission(entry, tmp_path / "submission")
    modules = load_trusted_folder(folder, load_assignment(entry.assignment).modules,
                                  f"_catalogue_{next(_packages)}")
    return InProcessRunner(modules)


@pytest.mark.parametrize("name,scenario,kwargs,diagnosis", FAILING,
                         ids=[f"{n}-{s.__name__}" for n, s, _, _ in FAILING])
def test_buggy_layer_fails_its_behaviour(name, scenario, kwargs, diagnosis, tmp_path):
    runner = _runner(parse(BUGS_DIR / f"{name}.py"), tmp_path)
    for seed in SEEDS:
        with np.errstate(all="ignore"), pytest.raises(CheckFailed) as failure:
            scenario(runner, np.random.default_rng(seed), **kwargs)
        if diagnosis is not None:
            assert failure.value.diagnosis == diagnosis, failure.value.message


def test_sigmoid_backward_extremes_blames_a_non_finite_forward_on_the_forward(tmp_path):
    """An overflowing forward is penalised by sigmoid_forward_extremes only, not twice."""
    runner = _runner(parse(BUGS_DIR / "sigmoid/forward_overflows.py"), tmp_path)
    with np.errstate(all="ignore"):
        sigmoid.sigmoid_backward_extremes(runner, np.random.default_rng(0))


@pytest.mark.parametrize("entry", [e for e in discover() if e.correct], ids=lambda e: e.name)
def test_correct_alternative_passes_every_behaviour(entry, tmp_path):
    runner = _runner(entry, tmp_path)
    scenarios = BACKPROP_SCENARIOS if entry.assignment == "backprop" else RNN_SCENARIOS
    for scenario, kwargs in scenarios:
        for seed in SEEDS:
            scenario(runner, np.random.default_rng(seed), **kwargs)
