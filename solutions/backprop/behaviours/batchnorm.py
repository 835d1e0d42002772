"""Behaviour of the student's batch normalisation: invariances and test mode.

Batch norm's output does not change when a feature is shifted or scaled by c > 0 (up to eps),
so in train mode its gradient dx sums to zero over the batch for each feature, and scaling x by
c scales dx by 1 / c. In test mode it must use the running statistics gathered in training,
so one example's output no longer depends on the rest of its batch.

Scenarios take `(student, rng)` (and the backward's name where two backward functions exist);
see grader.checks.behaviour_common.
"""

from __future__ import annotations

import numpy as np

from grader.checks.behaviour_common import (Call, call_all, expect_tuple, finite_array, require,
                                            require_signal)

BN_SHAPE = (32, 6)  # N, D
SCALE = 7.0
# With per-feature std >= 1.5, eps = 1e-5 moves the output by at most ~eps / (2 var) = 2.2e-6
# between x and SCALE * x; over 200 seeds the reference's worst relative change is 4.9e-6 for the
# output and 5.1e-6 for SCALE * dx(SCALE * x) against dx(x), and its worst batch-sum imbalance is
# 4e-16 (tests/checks/test_behaviour_calibration.py checks 1e-5 on every seed).
SCALE_TOLERANCE = 5e-5
SUM_TOLERANCE = 1e-9  # |sum_n dx[n, d]| / sum_n |dx[n, d]|; the reference is at rounding level


def _batch(rng: np.random.Generator):
    N, D = BN_SHAPE
    mean = rng.uniform(-5.0, 5.0, size=D)
    std = rng.uniform(1.5, 4.0, size=D)
    x = mean + std * rng.standard_normal((N, D))
    gamma = rng.uniform(0.5, 2.0, size=D)
    beta = rng.standard_normal(D)
    return x, gamma, beta


def _train(student, x, gamma, beta):
    """The student's train-mode forward on x and on SCALE * x (one round trip).

    Returns [(out, cache handle) for x, (out, cache handle) for SCALE * x]."""
    calls = [Call("layers", "batchnorm_forward", (inputs, gamma, beta, {"mode": "train", "eps": 1e-5, "momentum": 0.9}),
                  keep=(1,)) for inputs in (x, SCALE * x)]
    return [(finite_array(out, x.shape, "batchnorm_forward's out (train mode)"), cache)
            for out, cache in call_all(student, calls)]


def _backward(student, backward, dout, caches, shape):
    """dx of the student's `backward` for each cache handle (one round trip)."""
    results = call_all(student, [Call("layers", backward, (dout, cache)) for cache in caches])
    return [finite_array(expect_tuple(backward, result, ("dx", "dgamma", "dbeta"))[0], shape,
                         f"{backward}'s dx") for result in results]


def batchnorm_dx_sums_to_zero(student, rng: np.random.Generator, backward: str) -> None:
    """In train mode, dx sums to zero over the batch for every feature (shift invariance)."""
    x, gamma, beta = _batch(rng)
    dout = rng.standard_normal(x.shape) + rng.standard_normal(x.shape[1])  # non-zero mean
    _, cache = student.call("layers", "batchnorm_forward", x, gamma, beta, {"mode": "train", "eps": 1e-5, "momentum": 0.9},
                            keep=(1,))
    (dx,) = _backward(student, backward, dout, [cache], x.shape)
    require_signal(dx, f"{backward}'s dx")
    imbalance = float(np.max(np.abs(dx.sum(axis=0)) / np.maximum(np.abs(dx).sum(axis=0), 1e-300)))
    require(imbalance <= SUM_TOLERANCE,
            "batch norm's output does not change when a feature is shifted by a constant, so "
            f"its gradient dx must sum to zero over the batch for each feature; {backward}'s "
            f"dx does not (relative imbalance {imbalance:.3g}). The terms through the batch mean "
            "are missing or wrong",
            errors={"dx_batch_sum": imbalance},
            thresholds={"dx_batch_sum": SUM_TOLERANCE})


def batchnorm_forward_scale_invariance(student, rng: np.random.Generator) -> None:
    """Train mode: batchnorm_forward(c * x) == batchnorm_forward(x) for c > 0."""
    x, gamma, beta = _batch(rng)
    (out, _), (out_scaled, _) = _train(student, x, gamma, beta)
    require_signal(out, "batchnorm_forward's output")
    error = float(np.max(np.abs(out_scaled - out)) / np.max(np.abs(out)))
    require(error <= SCALE_TOLERANCE,
            f"in train mode batch norm normalises by the batch statistics, so scaling x by "
            f"{SCALE:g} must leave the output unchanged; batchnorm_forward's output moved by "
            f"{error:.3g} (relative)", errors={"out_scaled": error},
            thresholds={"out_scaled": SCALE_TOLERANCE})


def batchnorm_backward_scale(student, rng: np.random.Generator, backward: str) -> None:
    """Train mode: scaling x by c > 0 scales dx by 1 / c."""
    x, gamma, beta = _batch(rng)
    dout = rng.standard_normal(x.shape)
    (_, cache), (_, cache_scaled) = _train(student, x, gamma, beta)
    dx, dx_scaled = _backward(student, backward, dout, [cache, cache_scaled], x.shape)
    require_signal(dx, f"{backward}'s dx")
    error = float(np.max(np.abs(SCALE * dx_scaled - dx)) / max(np.max(np.abs(dx)), 1e-300))
    require(error <= SCALE_TOLERANCE,
            f"batch norm's output is unchanged when x is scaled by {SCALE:g}, so dx must shrink "
            f"by 1/{SCALE:g}; {backward}'s dx at {SCALE:g}x is off from that by {error:.3g} "
            "(relative)", errors={"dx_scaled": error}, thresholds={"dx_scaled": SCALE_TOLERANCE})


TRAIN_STEPS = 30
MOMENTUM = 0.9


def batchnorm_test_mode_running_stats(student, rng: np.random.Generator) -> None:
    """After training steps, test mode normalises with the running statistics it stored.

    The running averages must follow the batches (the grader recomputes the exponential
    average with the documented momentum, to 1e-9), and test-mode outputs must equal
    gamma * (x - running_mean) / sqrt(running_var + eps) + beta, so each example's output is
    independent of its batch.
    """
    N, D = BN_SHAPE
    mean = rng.uniform(-5.0, 5.0, size=D)
    std = rng.uniform(1.5, 4.0, size=D)
    gamma = rng.uniform(0.5, 2.0, size=D)
    beta = rng.standard_normal(D)
    eps = 1e-5
    bn_param = {"mode": "train", "momentum": MOMENTUM, "eps": eps}
    running_mean, running_var = np.zeros(D), np.zeros(D)
    for _ in range(TRAIN_STEPS):
        x = mean + std * rng.standard_normal((N, D))
        student.call("layers", "batchnorm_forward", x, gamma, beta, bn_param, keep=(1,))
        running_mean = MOMENTUM * running_mean + (1 - MOMENTUM) * x.mean(axis=0)
        running_var = MOMENTUM * running_var + (1 - MOMENTUM) * x.var(axis=0)
    for key, expected in (("running_mean", running_mean), ("running_var", running_var)):
        require(key in bn_param, f"batchnorm_forward in train mode should store bn_param[{key!r}]")
        stored = finite_array(bn_param[key], (D,), f"batchnorm_forward's bn_param[{key!r}]")
        error = float(np.max(np.abs(stored - expected)) / np.max(np.abs(expected)))
        require(error <= 1e-9,
                f"after {TRAIN_STEPS} training batches bn_param[{key!r}] should be the running "
                f"average momentum * running + (1 - momentum) * batch statistic (momentum "
                f"{MOMENTUM}); batchnorm_forward's is off by {error:.3g} (relative)"
                + (" - it was never updated" if np.all(stored == 0) else ""),
                diagnosis="zeros" if np.all(stored == 0) else None,
                errors={key: error}, thresholds={key: 1e-9})
    test_param = dict(bn_param, mode="test")
    x = mean + 3.0 * std * rng.standard_normal((N, D))  # a batch unlike the training ones
    out, _ = student.call("layers", "batchnorm_forward", x, gamma, beta, test_param, keep=(1,))
    out = finite_array(out, (N, D), "batchnorm_forward's out (test mode)")
    stored_mean = np.asarray(bn_param["running_mean"], dtype=float)
    stored_var = np.asarray(bn_param["running_var"], dtype=float)
    expected = gamma * (x - stored_mean) / np.sqrt(stored_var + eps) + beta
    error = float(np.max(np.abs(out - expected)) / np.max(np.abs(expected)))
    batch_stats = gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta
    require(error <= 1e-9,
            "in test mode batch norm must normalise with the running mean and variance "
            f"gathered in training, not the test batch's own statistics; batchnorm_forward's "
            f"test-mode output is off by {error:.3g} (relative)"
            + (" (it used the test batch's statistics)"
               if np.allclose(out, batch_stats, rtol=1e-6, atol=1e-9) else ""),
            errors={"test_out": error}, thresholds={"test_out": 1e-9})
