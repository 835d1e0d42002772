"""Checks of the backprop assignment that need a sequence of calls or inputs outside its cases.

    running_statistics_check: batchnorm_forward over several train steps: the running mean
        and variance it stores in bn_param, then test mode on given running statistics
    extreme_inputs_check: an activation at |x| up to 1e4, or softmax_loss at scores around
        +-1000: finite and equal to the reference

Imported by checks.py (`from .scenarios import ...`), so it ships with the public checks.
Building blocks: grader.checks.scenarios.
"""

from __future__ import annotations

import copy

import numpy as np

from grader.checks.scenarios import ROUNDING_THRESHOLD as RUNNING_THRESHOLD
from grader.checks.scenarios import compare as _compare
from grader.checks.spec import CheckFailed
from grader.checks.validate import expect_array, expect_scalar, expect_tuple

STEPS = 4


def _reference_running(reference, xs, gamma, beta, momentum):
    bn_param = {"mode": "train", "momentum": momentum, "eps": 1e-5}
    for x in xs:
        reference["layers"].batchnorm_forward(x.copy(), gamma.copy(), beta.copy(), bn_param)
    return bn_param["running_mean"], bn_param["running_var"]


def running_statistics_check(ctx, *, steps: int = STEPS) -> None:
    """bn_param's running_mean / running_var after `steps` train steps starting from none (the
    defaults are zeros), then test mode with given running statistics: steps + 1 round trips."""
    n, d = 6, 4
    offsets = 3.0 * ctx.rng.standard_normal(d)
    xs = [ctx.rng.standard_normal((n, d)) + offsets for _ in range(steps)]
    gamma, beta = ctx.rng.standard_normal(d), ctx.rng.standard_normal(d)
    momentum = float(ctx.rng.uniform(0.5, 0.95))
    want_mean, want_var = ctx.expected("running", lambda: _reference_running(
        ctx.reference, xs, gamma, beta, momentum))
    bn_param = {"mode": "train", "momentum": momentum, "eps": 1e-5}
    for x in xs:
        out = ctx.student.call("layers", "batchnorm_forward", x, gamma, beta, bn_param, keep=(1,))
        expect_tuple("batchnorm_forward", out, ["out", "cache"])
        if hasattr(ctx.student, "drop"):
            ctx.student.drop(out[1])
    errors, thresholds = {}, {}
    for key, want in (("running_mean", want_mean), ("running_var", want_var)):
        if key not in bn_param:
            raise CheckFailed(f"batchnorm_forward did not store {key!r} in bn_param in train mode")
        _compare("batchnorm_forward", key, bn_param[key], want, errors, thresholds,
                 RUNNING_THRESHOLD)
    test_param = {"mode": "test", "running_mean": ctx.rng.standard_normal(d),
                  "running_var": ctx.rng.uniform(0.5, 2.0, d), "eps": 1e-3}
    x = ctx.rng.standard_normal((n, d)) + offsets
    want_out = ctx.expected("test_out", lambda: ctx.reference["layers"].batchnorm_forward(
        x.copy(), gamma.copy(), beta.copy(), copy.deepcopy(test_param))[0])
    out = ctx.student.call("layers", "batchnorm_forward", x, gamma, beta, test_param, keep=(1,))
    out = expect_tuple("batchnorm_forward", out, ["out", "cache"])
    _compare("batchnorm_forward", "out (test mode)", out[0], want_out, errors, thresholds,
             RUNNING_THRESHOLD, batch=n)


#: |x| up to 1e4: exp overflows past 709, so a formula through exp(x) or exp(2x) gives inf/NaN.
EXTREME_ACTIVATIONS = (-1e4, -800.0, -710.5, -30.0, -1.0, 0.0, 1.0, 30.0, 710.5, 800.0, 1e4, -2e3)
#: Scores around +-1000: softmax without the row-maximum shift overflows.
LARGE_SCORE = 1000.0


def extreme_inputs_check(ctx, function: str) -> None:
    """An elementwise activation (tanh_forward, sigmoid_forward) at |x| up to 1e4, or
    softmax_loss at scores around +-1000: finite and equal to the reference. One round trip."""
    if function == "softmax_loss":
        n, c = 16, 7
        x = (5.0 * ctx.rng.standard_normal((n, c))
             + ctx.rng.choice([-1.0, 1.0], size=(n, 1)) * LARGE_SCORE)
        y = ctx.rng.integers(0, c, size=n)
        want = ctx.expected("large", lambda: tuple(
            np.asarray(v, dtype=np.float64)
            for v in ctx.reference["layers"].softmax_loss(x.copy(), y.copy())))
        loss, dx = expect_tuple(function, ctx.student.call("layers", function, x, y),
                                ["loss", "dx"])
        got = [np.asarray(expect_scalar(function, "loss", loss))]
        got.append(expect_array(function, "dx", dx, expected=want[1]))
        names, where = ["loss", "dx"], "for scores around +-1000"
    else:
        x = ctx.rng.permutation(np.array(EXTREME_ACTIVATIONS)).reshape(3, 4)
        want = (ctx.expected("extreme", lambda: np.asarray(
            getattr(ctx.reference["layers"], function)(x.copy())[0], dtype=np.float64)),)
        out = expect_tuple(function, ctx.student.call("layers", function, x, keep=(1,)),
                           ["out", "cache"])
        got, names, where = [expect_array(function, "out", out[0], expected=want[0])], ["out"], \
            "at inputs up to |x| = 1e4"
    errors, thresholds = {}, {}
    for name, g, w in zip(names, got, want):
        _compare(function, f"{name} ({where})", g, w, errors, thresholds, RUNNING_THRESHOLD)
