"""Layer cases of the backprop assignment (module `layers`).

Thresholds are CS231n relative errors (max over elements of |a - b| / (|a| + |b|)) between the
reference backward and centred differences with h = 1e-5. Two error sources set them:
- rounding: each difference loses about eps * |f| / h ~ 1e-11 of the output's scale, which
  only matters relative to the *smallest* gradient elements;
- truncation: h**2 * f''' / 6 ~ 1e-11 for smooth layers, exactly 0 for piecewise-linear ones
  whose inputs stay off the kinks (see inputs.py).
So piecewise-linear layers get 1e-7 (CS231n's own bar for affine) and smooth nonlinear ones
1e-6 .. 1e-5 where gradients sum to ~0 (normalisation) and small elements are unavoidable.
Measured worst cases over 50 seeds are noted beside each; every bar sits >= 10x above them,
while the bugs the checks must catch (transposes, missing terms, wrong scale) give >= 1e-3.
"""

from __future__ import annotations

import numpy as np

from .case import LayerCase
from .inputs import GAP, LINEAR as LIN, SMOOTH as SMO, away_from, distinct, labels, normal, svm_scores, with_repeats

A, M = "backprop", "layers"
XWB = (("x", 0), ("w", 1), ("b", 2))
XGB = (("x", 0), ("gamma", 1), ("beta", 2))
X = (("x", 0),)


def _layer(name, stem, make, wrt, threshold, tags=(), **kw):
    return LayerCase(name, A, M, f"{stem}_forward", f"{stem}_backward", make, wrt, threshold,
                     frozenset(tags), **kw)


def _loss(name, fn, make, threshold, tags=(), **kw):
    return LayerCase(name, A, M, fn, None, make, X, threshold, frozenset(tags), kind="loss", **kw)


def _affine(n, *dims, m=3):
    def make(rng):
        d = int(np.prod(dims))
        return (normal(rng, n, *dims), normal(rng, d, m), normal(rng, m)), {}
    return make


def _bn_inputs(n, d, *, scale=1.0, running=False, mode="train"):
    """x (n, d) with per-feature offsets; gamma, beta (d,); bn_param, optionally holding running
    statistics as after several train steps (momentum 0.8, eps 1e-3 to exercise both keys)."""
    def make(rng):
        x = normal(rng, n, d, scale=scale) + normal(rng, d, scale=3 * scale)
        bn_param = {"mode": mode}
        if running:
            bn_param.update(momentum=0.8, eps=1e-3, running_mean=normal(rng, d),
                            running_var=rng.uniform(0.5, 2.0, size=d))
        return (x, normal(rng, d), normal(rng, d), bn_param), {}
    return make


def _conv(n, c, h, w, f, hh, ww, stride, pad):
    def make(rng):
        x, k, b = normal(rng, n, c, h, w), normal(rng, f, c, hh, ww), normal(rng, f)
        return (x, k, b, {"stride": stride, "pad": pad}), {}
    return make


def _pool(n, c, h, w, ph, pw, stride):
    def make(rng):
        return (distinct(rng, n, c, h, w), {"pool_height": ph, "pool_width": pw, "stride": stride}), {}
    return make


def _huber_inputs(n, d, delta=None):
    def make(rng):
        y = normal(rng, n, d)
        dl = 1.0 if delta is None else delta
        # off the kinks at +-delta, and off 0 where dx = r would be tiny (relative errors of
        # near-zero elements measure rounding, not correctness)
        r = away_from(rng, n, d, kinks=(-dl, 0.0, dl), gap=0.2 * dl, scale=1.5 * dl)
        return (y + r, y), ({} if delta is None else {"delta": delta})
    return make


def _mse_inputs(*shape):
    def make(rng):
        y = normal(rng, *shape)
        return (y + away_from(rng, *shape), y), {}  # residual (= dx) off 0, as for huber
    return make


def _gather(n, a, k=None, repeated=False):
    def make(rng):
        if k is None:
            idx = rng.integers(0, a, size=n).astype(np.int64)
        elif repeated:
            idx = with_repeats(rng, (n, k), a)
        else:
            idx = rng.integers(0, a, size=(n, k)).astype(np.int64)
        return (normal(rng, n, a), idx), {}
    return make


def _softmax_inputs(n, c):
    return lambda rng: ((normal(rng, n, c), labels(rng, n, c)), {})


def _svm_inputs(n, c):
    def make(rng):
        y = labels(rng, n, c)
        return (svm_scores(rng, n, c, y), y), {}
    return make


CASES = [
    # affine is linear: only rounding error (worst measured ~1e-9)
    _layer("affine 2-D", "affine", _affine(4, 5), XWB, 1e-7, **LIN),
    _layer("affine 4-D input flattened", "affine", _affine(2, 3, 2, 2, m=4), XWB, 1e-7, {"flatten"}, **LIN),
    _layer("affine batch 1", "affine", _affine(1, 6), XWB, 1e-7, {"batch1"}, **LIN),
    # relu / leaky / prelu: linear pieces, inputs >= 0.1 from the kink at 0
    _layer("relu 2-D", "relu", lambda r: ((away_from(r, 4, 5),), {}), X, 1e-7, **LIN),
    _layer("relu 3-D input", "relu", lambda r: ((away_from(r, 2, 3, 4),), {}), X, 1e-7, {"3d"}, **LIN),
    _layer("relu batch 1", "relu", lambda r: ((away_from(r, 1, 7),), {}), X, 1e-7, {"batch1"}, **LIN),
    _layer("leaky_relu default slope", "leaky_relu", lambda r: ((away_from(r, 4, 5),), {}), X, 1e-7, **LIN),
    _layer("leaky_relu alpha=0.2, 3-D", "leaky_relu",
           lambda r: ((away_from(r, 2, 3, 4),), {"alpha": 0.2}), X, 1e-7, {"3d", "kwarg"}, **LIN),
    _layer("prelu per-feature slopes", "prelu",
           lambda r: ((away_from(r, 5, 4), r.uniform(0.05, 0.5, 4)), {}),
           (("x", 0), ("alpha", 1)), 1e-7, **LIN),
    _layer("prelu batch 1", "prelu", lambda r: ((away_from(r, 1, 6), r.uniform(0.05, 0.5, 6)), {}),
           (("x", 0), ("alpha", 1)), 1e-7, {"batch1"}, **LIN),
    # sigmoid / tanh: smooth, bounded third derivative; worst measured ~1e-9
    _layer("sigmoid", "sigmoid", lambda r: ((normal(r, 4, 5, scale=2.0),), {}), X, 1e-6, **SMO),
    _layer("sigmoid saturated inputs (|z| in 4..8)", "sigmoid",
           lambda r: ((r.choice([-1.0, 1.0], (3, 4)) * r.uniform(4, 8, (3, 4)),), {}), X, 1e-6,
           {"saturated"}, **SMO),
    _layer("tanh", "tanh", lambda r: ((normal(r, 4, 5),), {}), X, 1e-6, **SMO),
    _layer("tanh 3-D input", "tanh", lambda r: ((normal(r, 2, 3, 4),), {}), X, 1e-6, {"3d"}, **SMO),
    # batchnorm: dx sums to 0 over the batch, so small elements come from cancellation;
    # worst measured ~1e-7 (running stats do not enter the train-mode gradient)
    _layer("batchnorm train", "batchnorm", _bn_inputs(8, 5), XGB, 1e-5, **SMO),
    _layer("batchnorm train, running stats after several steps", "batchnorm",
           _bn_inputs(6, 4, running=True), XGB, 1e-5, {"running_stats"}, **SMO),
    _layer("batchnorm train, large-scale input", "batchnorm", _bn_inputs(5, 3, scale=10.0),
           XGB, 1e-5, {"scale"}, **SMO),
    LayerCase("batchnorm_backward_alt train", A, M, "batchnorm_forward", "batchnorm_backward_alt",
              _bn_inputs(8, 5), XGB, 1e-5, **SMO),
    LayerCase("batchnorm_backward_alt, running stats", A, M, "batchnorm_forward",
              "batchnorm_backward_alt", _bn_inputs(6, 4, running=True), XGB, 1e-5,
              frozenset({"running_stats"}), **SMO),
    # test mode uses the running statistics: an affine map of x, compared by value only (CS231n's
    # batchnorm_backward is defined for train-mode caches)
    LayerCase("batchnorm test mode uses running stats", A, M, "batchnorm_forward", None,
              _bn_inputs(6, 4, running=True, mode="test"), (), 1e-10,
              frozenset({"test_mode", "running_stats"}), kind="forward"),
    # layernorm: same cancellation as batchnorm, per row
    _layer("layernorm", "layernorm", lambda r: ((normal(r, 4, 6), normal(r, 6), normal(r, 6), {}), {}),
           XGB, 1e-5, **SMO),
    _layer("layernorm batch 1", "layernorm",
           lambda r: ((normal(r, 1, 7), normal(r, 7), normal(r, 7), {"eps": 1e-3}), {}),
           XGB, 1e-5, {"batch1"}, **SMO),
    # dropout is linear in x for a fixed mask; the seed fixes the mask across forward calls
    _layer("dropout train p=0.7 seeded", "dropout",
           lambda r: ((normal(r, 6, 5), {"p": 0.7, "mode": "train", "seed": int(r.integers(1 << 30))}), {}),
           X, 1e-7, {"rng"}, **LIN),
    _layer("dropout train 3-D, p=0.3", "dropout",
           lambda r: ((normal(r, 2, 3, 4), {"p": 0.3, "mode": "train", "seed": int(r.integers(1 << 30))}), {}),
           X, 1e-7, {"rng", "3d"}, **LIN),
    _layer("dropout test mode is the identity", "dropout",
           lambda r: ((normal(r, 4, 5), {"p": 0.5, "mode": "test"}), {}), X, 1e-7, {"test_mode"}, **LIN),
    # clip: linear pieces, inputs >= 0.1 from both bounds
    _layer("clip default bounds", "clip",
           lambda r: ((away_from(r, 5, 6, kinks=(-1.0, 1.0), scale=1.5),), {}), X, 1e-7, **LIN),
    _layer("clip lo=-0.5, hi=2", "clip",
           lambda r: ((away_from(r, 4, 5, kinks=(-0.5, 2.0), scale=2.0),), {"lo": -0.5, "hi": 2.0}),
           X, 1e-7, {"kwarg"}, **LIN),
    # gather: linear; repeated indices must accumulate
    _layer("gather one per row", "gather", _gather(5, 4), X, 1e-7, **LIN),
    _layer("gather K per row, repeated indices", "gather", _gather(4, 3, k=5, repeated=True), X,
           1e-7, {"repeated"}, **LIN),
    _layer("gather batch 1", "gather", _gather(1, 6, k=3, repeated=True), X, 1e-7,
           {"batch1", "repeated"}, **LIN),
    # conv: linear in each input; worst measured ~1e-8
    LayerCase("conv stride 1, pad 1", A, M, "conv_forward_naive", "conv_backward_naive",
              _conv(2, 3, 5, 5, 4, 3, 3, 1, 1), XWB, 1e-7, frozenset({"pad"}), **LIN),
    LayerCase("conv stride 2, non-square input and kernel", A, M, "conv_forward_naive",
              "conv_backward_naive", _conv(2, 2, 7, 6, 3, 3, 2, 2, 1), XWB, 1e-7,
              frozenset({"stride", "pad", "non_square"}), **LIN),
    LayerCase("conv stride 2, no padding, batch 1", A, M, "conv_forward_naive",
              "conv_backward_naive", _conv(1, 3, 5, 7, 2, 3, 3, 2, 0), XWB, 1e-7,
              frozenset({"stride", "batch1", "non_square"}), **LIN),
    # max pool: linear on distinct inputs (no ties, unique window maxima by >= 0.05)
    LayerCase("max_pool 2x2 stride 2", A, M, "max_pool_forward_naive", "max_pool_backward_naive",
              _pool(2, 3, 4, 4, 2, 2, 2), X, 1e-7, **LIN),
    LayerCase("max_pool 3x3 stride 1, overlapping windows", A, M, "max_pool_forward_naive",
              "max_pool_backward_naive", _pool(2, 2, 5, 5, 3, 3, 1), X, 1e-7, frozenset({"overlap"}), **LIN),
    LayerCase("max_pool 3x2 window stride 1, non-square, batch 1", A, M, "max_pool_forward_naive",
              "max_pool_backward_naive", _pool(1, 2, 5, 4, 3, 2, 1), X, 1e-7,
              frozenset({"overlap", "non_square", "batch1"}), **LIN),
    LayerCase("max_pool 3x3 stride 2, overlapping", A, M, "max_pool_forward_naive",
              "max_pool_backward_naive", _pool(2, 2, 7, 7, 3, 3, 2), X, 1e-7,
              frozenset({"overlap", "stride"}), **LIN),
    # losses: softmax is smooth (worst measured ~1e-8); svm/huber/mse piecewise-quadratic
    # or linear off their kinks; mse is quadratic so centred differences are exact up to rounding
    _loss("softmax_loss", "softmax_loss", _softmax_inputs(5, 4), 1e-6, **SMO),
    _loss("softmax_loss batch 1", "softmax_loss", _softmax_inputs(1, 6), 1e-6, {"batch1"}, **SMO),
    _loss("svm_loss margins off the hinge", "svm_loss", _svm_inputs(6, 5), 1e-7, **LIN),
    _loss("svm_loss batch 1", "svm_loss", _svm_inputs(1, 4), 1e-7, {"batch1"}, **LIN),
    _loss("mse_loss", "mse_loss", _mse_inputs(4, 3), 1e-7, **LIN),
    _loss("mse_loss 3-D", "mse_loss", _mse_inputs(2, 3, 2), 1e-7, {"3d"}, **LIN),
    _loss("huber_loss delta=1", "huber_loss", _huber_inputs(4, 5), 1e-7, **LIN),
    _loss("huber_loss delta=0.5", "huber_loss", _huber_inputs(3, 4, delta=0.5), 1e-7, {"kwarg"}, **LIN),
]
