"""The numerics of layer cases: input samplers that keep off kinks, the numerical-gradient
settings (LINEAR, SMOOTH) and the rule for per-function thresholds.

A centred difference with step h is only valid where the function is smooth on [x - h, x + h].
Piecewise layers (rectifiers, clipping, max-pooling, hinge and Huber losses) have kinks, so the samplers
keep every input at least 5 * GAP = 0.05 (fifty steps of h = 1e-3) from a kink, usually 0.1:
the numerical gradient then sees one piece and agrees with the analytic one.
"""

from __future__ import annotations

import numpy as np

GAP = 1e-2

#: Numerical-gradient settings (see LayerCase.h / order). LINEAR: for forwards linear or
#: quadratic in the checked input near the sample, where centred differences are exact; every
#: kink stays >= 5 * GAP = 50 * h away. SMOOTH: Richardson-extrapolated centred differences for
#: smooth nonlinear forwards (truncation ~ h**4 ~ 1e-12, rounding ~ eps / h ~ 1e-13).
LINEAR = {"h": 1e-3, "order": 2}
SMOOTH = {"h": 1e-3, "order": 4}


def normal(rng: np.random.Generator, *shape: int, scale: float = 1.0, shift: float = 0.0):
    """float64 array of `shape`, N(shift, scale**2) entries."""
    return shift + scale * rng.standard_normal(shape)


def away_from(rng, *shape: int, kinks=(0.0,), gap: float = 10 * GAP, scale: float = 1.0):
    """N(0, scale**2) entries, each moved to at least `gap` from every value in `kinks`.

    An entry v within `gap` of a kink k becomes k + sign(v - k) * (gap + |v - k|), at most
    2 * gap away; kinks must be more than 3 * gap apart so a push cannot land near another.
    """
    x = scale * rng.standard_normal(shape)
    for k in kinks:
        d = x - k
        near = np.abs(d) < gap
        sign = np.where(d >= 0, 1.0, -1.0)
        x = np.where(near, k + sign * (gap + np.abs(d)), x)
    return x


def distinct(rng, *shape: int, spacing: float = 5 * GAP):
    """Entries that differ pairwise by at least `spacing`: a random permutation of an even grid,
    centred on 0. Every max over any window is then unique by a margin (no ties)."""
    n = int(np.prod(shape))
    return (rng.permutation(n) - (n - 1) / 2.0).reshape(shape) * spacing


def labels(rng, n: int, classes: int, *rest: int):
    """int64 labels of shape (n, *rest) in [0, classes)."""
    return rng.integers(0, classes, size=(n, *rest)).astype(np.int64)


def with_repeats(rng, shape: tuple[int, ...], high: int):
    """int64 indices in [0, high) of `shape` (2-D) where every row repeats at least one index."""
    idx = rng.integers(0, high, size=shape).astype(np.int64)
    idx[:, 1] = idx[:, 0]  # guarantee a repeat in each row
    return idx[:, rng.permutation(shape[1])]


def svm_scores(rng, n: int, classes: int, y):
    """(n, classes) scores whose hinge margins x[i, j] - x[i, y[i]] + 1 (j != y[i]) all lie at
    least 10 * GAP from 0."""
    x = rng.standard_normal((n, classes))
    for i in range(n):
        for j in range(classes):
            if j == y[i]:
                continue
            m = x[i, j] - x[i, y[i]] + 1.0
            if abs(m) < 10 * GAP:
                x[i, j] += (10 * GAP - m) if m >= 0 else -(10 * GAP + m)
    return x


# --------------------------------------------------------------------------------------------
# Thresholds: the rule an assignment's cases.py follows for its per-function relative-error bars
# (LayerCase.threshold); the measurements behind each bar sit beside the bars in that file.
#
# The error is CS231n's rel_error: the max over elements of |a - b| / (|a| + |b|), between a
# correct analytic gradient and the numerical one (LINEAR / SMOOTH settings above). For a
# correct backward it is rounding noise divided by the size of the *smallest* gradient element, and
# small elements (a dw column summed over 2 examples, a normalised dx after the mean is removed)
# occur at random, so its distribution has a 1/t tail: P(error > t) ~ 0.01 * p99 / t.
# Rule: each bar is >= 1000 x the 99th percentile and >= 10 x the worst value measured for the
# function's cases (1000 seeds; 100 for slow layers), rounded up to a power of ten, so a correct
# implementation fails with probability ~1e-5 per run. The smallest bug worth catching (one
# element off by 1 part in 1e3) already gives 5e-4, above every bar of 1e-4 or less; transposes,
# missing terms and wrong scales give 1e-2 .. 1. Measure with the reference solution:
#   [reference_gradcheck(case, module, seed=s)["max_rel_error"] for s in range(1000, 2000)]
