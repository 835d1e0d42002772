"""Behaviour of the student's sigmoid: saturation, the 0.25 bound, finiteness at |z| = 1e4.

The seed: a fully connected layer with a sigmoid, initialised too large, has almost binary
outputs, so its local gradient s * (1 - s) vanishes and so does the weight gradient; and the
sigmoid's local gradient is at most 0.25, so every sigmoid shrinks the signal by 4x or more.

Scenarios take `(student, rng)`; see grader.checks.behaviour_common. Thresholds were calibrated
against the reference (tests/checks/test_behaviour_calibration.py) and carry a wide margin.
"""

from __future__ import annotations

import numpy as np

from grader.checks.behaviour_common import (Call, call_all, diagnose, finite_array, float_array,
                                            local_confusions, require,
                                            require_signal)

# Saturation set-up (issue 4): inputs N(0, 1), D = 500, N = 64, H = 100, weights at std 10
# against std 0.01, zero bias, upstream gradient ones. Over 200 seeds the reference has >= 96.9%
# of its local gradients below 1e-3 and a weight-gradient ratio (std 10 / std 0.01, Frobenius
# norms) <= 0.084 (issue 4 quotes >= 97% and <= 9.2%); a sigmoid backward using dout * s has
# about 50% and a ratio near 1. Checked with tightened thresholds (0.95, 0.10) over 200 seeds in
# tests/checks/test_behaviour_calibration.py.
SATURATION_SHAPE = (64, 500, 100)  # N, D, H
SATURATED_STD, HEALTHY_STD = 10.0, 0.01
SMALL_LOCAL_GRADIENT = 1e-3
MIN_SATURATED_FRACTION = 0.90
MAX_WEIGHT_GRADIENT_RATIO = 0.20
# s * (1 - s) <= 0.25 exactly in real arithmetic; float rounding can exceed it by a few ulps.
SIGMOID_BOUND = 0.25 * (1 + 1e-12)


def _affine_sigmoid_local(student, x, ws, b):
    """For each weight matrix in `ws`: z = x @ w + b (in the grader), the student's sigmoid
    forward and backward (upstream ones), dw = x.T @ local (grader). Two round trips in all.

    Returns [(local, dw), ...]: local of shape (N, H), the sigmoid's local gradients; dw of
    shape (D, H), the weight gradient of the loss sum(sigmoid(x @ w + b)). The affine part is
    computed here so that only the student's sigmoid is judged (affine_backward has its own
    checks).
    """
    N, H = len(x), ws[0].shape[1]
    forwards = call_all(student, [Call("layers", "sigmoid_forward", (x @ w + b,), keep=(1,))
                                  for w in ws])
    locals_ = call_all(student, [Call("layers", "sigmoid_backward", (np.ones((N, H)), cache))
                                 for _, cache in forwards])
    return [(local, x.T @ local) for local in
            (finite_array(v, (N, H), "sigmoid_backward's dx") for v in locals_)]


def sigmoid_saturation(student, rng: np.random.Generator) -> None:
    """Weights at std 10 saturate the student's sigmoid: local gradients vanish, so does dw."""
    N, D, H = SATURATION_SHAPE
    x = rng.standard_normal((N, D))
    w = rng.standard_normal((D, H))
    b = np.zeros(H)
    (local_big, dw_big), (_, dw_small) = _affine_sigmoid_local(
        student, x, [SATURATED_STD * w, HEALTHY_STD * w], b)
    fraction = float(np.mean(np.abs(local_big) < SMALL_LOCAL_GRADIENT))
    require(fraction >= MIN_SATURATED_FRACTION,
            f"with weights at std {SATURATED_STD:g} the pre-activations reach hundreds and the "
            f"sigmoid saturates, so its local gradient s*(1-s) should be below "
            f"{SMALL_LOCAL_GRADIENT:g} almost everywhere; sigmoid_backward gave that for only "
            f"{fraction:.1%} of the entries (at least {MIN_SATURATED_FRACTION:.0%} expected). "
            "Does it multiply by s*(1-s), the derivative, and not by s itself?",
            errors={"saturated_fraction": fraction},
            thresholds={"saturated_fraction": MIN_SATURATED_FRACTION})
    norm_small = float(np.linalg.norm(dw_small))
    ratio = float(np.linalg.norm(dw_big)) / norm_small if norm_small > 0 else np.inf
    require(ratio <= MAX_WEIGHT_GRADIENT_RATIO,
            f"a saturated sigmoid layer should barely learn: its weight gradient at std "
            f"{SATURATED_STD:g} should be at most {MAX_WEIGHT_GRADIENT_RATIO:.0%} of the one at "
            f"std {HEALTHY_STD:g}, but it is {ratio:.1%}",
            errors={"weight_gradient_ratio": ratio},
            thresholds={"weight_gradient_ratio": MAX_WEIGHT_GRADIENT_RATIO})


def sigmoid_gradient_bound(student, rng: np.random.Generator) -> None:
    """|sigmoid_backward(dout)| <= 0.25 |dout| everywhere, on inputs from -30 to 30."""
    shape = (40, 25)
    z = rng.uniform(-30.0, 30.0, size=shape)
    z[0] = rng.uniform(-0.1, 0.1, size=shape[1])  # around 0, where the bound is attained
    dout = rng.standard_normal(shape) * 10.0 ** rng.uniform(-2, 2, size=shape)
    _, cache = student.call("layers", "sigmoid_forward", z, keep=(1,))
    dx = finite_array(student.call("layers", "sigmoid_backward", dout, cache), shape,
                      "sigmoid_backward's dx")
    require_signal(dx, "sigmoid_backward's dx")
    ratio = np.abs(dx) / np.abs(dout)
    worst = float(ratio.max())
    require(worst <= SIGMOID_BOUND,
            "the sigmoid's local gradient s*(1-s) is at most 0.25, so sigmoid_backward can never "
            f"pass more than 0.25 x the upstream gradient; it passed {worst:.3g} x "
            f"(at input {float(z.flat[int(ratio.argmax())]):.3g})",
            diagnosis=_sigmoid_diagnosis(dx, dout, z),
            errors={"max_gain": worst}, thresholds={"max_gain": 0.25})


def _sigmoid_diagnosis(dx: np.ndarray, dout: np.ndarray, z: np.ndarray) -> str | None:
    """The bug class of a wrong sigmoid backward (e.g. dout * s: output where s' was needed)."""
    with np.errstate(under="ignore", over="ignore"):
        s = np.exp(-np.logaddexp(0.0, -z))
        found = diagnose("dx", dx, dout * s * (1 - s),
                         candidates=local_confusions("sigmoid", z, s, dout))
    return found.code if found else None


# Extreme inputs: exp(1e4) overflows float64 (max ~ 1.8e308 = e^709.8).
EXTREME_INPUTS = np.array([-1e4, -1e3, -745.0, -710.0, -40.0, -1.0, 0.0, 1.0, 40.0, 710.0, 745.0,
                           1e3, 1e4])


def sigmoid_forward_extremes(student, rng: np.random.Generator) -> None:
    """sigmoid_forward is finite, in [0, 1] and right at |z| up to 1e4 (no exp overflow to NaN)."""
    z = rng.permutation(EXTREME_INPUTS)
    out, _ = student.call("layers", "sigmoid_forward", z, keep=(1,))
    out = finite_array(out, z.shape, f"sigmoid_forward's out at inputs {z.tolist()}")
    expected = np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))),
                        np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))
    error = float(np.max(np.abs(out - expected)))
    require(error <= 1e-12,
            f"sigmoid_forward is off by {error:.3g} at extreme inputs (|z| up to 1e4): "
            "sigmoid(-1e4) should be 0 and sigmoid(1e4) should be 1",
            errors={"out": error}, thresholds={"out": 1e-12})


def sigmoid_backward_extremes(student, rng: np.random.Generator) -> None:
    """sigmoid_backward stays finite (and tiny) at |z| up to 1e4.

    Attributed to the backward only when the student's forward is finite there: a forward
    that overflows is penalised by `sigmoid_forward_extremes`, not twice.
    """
    z = rng.permutation(EXTREME_INPUTS)
    out, cache = student.call("layers", "sigmoid_forward", z, keep=(1,))
    out = float_array(out, z.shape, "sigmoid_forward's out")
    if not np.all(np.isfinite(out)):
        return
    dout = rng.uniform(0.5, 2.0, size=z.shape)
    dx = finite_array(student.call("layers", "sigmoid_backward", dout, cache), z.shape,
                      f"sigmoid_backward's dx at inputs {z.tolist()}")
    big = np.abs(z) >= 710
    worst = float(np.max(np.abs(dx[big]) / dout[big]))
    require(worst <= 1e-300,
            f"at |z| >= 710 the sigmoid is flat in float64 and its gradient is 0; "
            f"sigmoid_backward passed {worst:.3g} x the upstream gradient there",
            errors={"max_gain_saturated": worst}, thresholds={"max_gain_saturated": 1e-300})
