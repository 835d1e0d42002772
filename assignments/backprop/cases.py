"""Layer cases of the backprop assignment (module `layers`): `CASES`, read by the framework
(grader.layercases.load_cases) and shipped with the student release (the public checks use it).

Each case's threshold is one of the bars below (the rule: grader/layercases/inputs.py; the
measurements beside each bar); its inputs keep off kinks (grader.layercases.inputs). Comments
beside a group say what makes its cases hard.
"""

from __future__ import annotations

import numpy as np

from grader.layercases import LayerCase
from grader.layercases.inputs import GAP, LINEAR as LIN, SMOOTH as SMO
from grader.layercases.inputs import away_from, distinct, labels, normal, svm_scores, with_repeats


class T:
    """Per-function relative-error bars, measured with the reference solutions on the project
    machine (2-core VM, numpy 2.4), 1000 seeds per case (100 for conv and pool); p99 / worst per
    function."""

    #: exact maps: one input element per output element (relu, leaky/prelu, clip, dropout,
    #: gather, max-pool) or piecewise-quadratic losses off their kinks (svm, mse, huber):
    #: p99 <= 5.5e-12, worst 6.1e-13 .. 1.3e-11 (svm 3.3e-12, mse 5.4e-12, huber 7.0e-12)
    EXACT = 1e-7
    #: sums of products: affine p99 3.3e-10 / worst 6.9e-9; conv 8.6e-10 / 3.4e-9 (the 4-D
    #: affine with N = 2 has the smallest dw elements)
    AFFINE = 1e-6
    CONV = 1e-6
    #: smooth activations: sigmoid p99 1.8e-10 / worst 2.7e-10 (saturated inputs), tanh
    #: 6.2e-12 / 2e-11
    ACTIVATION = 1e-6
    #: softmax_loss 6.2e-11 / 1.9e-10
    SOFTMAX = 1e-6
    #: normalisation, whose dx sums to 0 per feature (batchnorm) or per example (layernorm):
    #: batchnorm (both backwards) p99 3.2e-9 / worst 3.9e-8; layernorm 3.5e-10 / 1.1e-8
    BATCHNORM = 1e-5
    LAYERNORM = 1e-6
    #: value-only cases: forward outputs against the reference's, same formula up to rounding
    VALUE = 1e-10


A, M = "backprop", "layers"
XWB = (("x", 0), ("w", 1), ("b", 2))
XGB = (("x", 0), ("gamma", 1), ("beta", 2))
X = (("x", 0),)
XA = (("x", 0), ("alpha", 1))


def _layer(name, stem, make, wrt, threshold, tags=(), **kw):
    return LayerCase(name, A, M, f"{stem}_forward", f"{stem}_backward", make, wrt, threshold,
                     frozenset(tags), **kw)


def _loss(name, fn, make, threshold, tags=(), **kw):
    return LayerCase(name, A, M, fn, None, make, X, threshold, frozenset(tags), kind="loss", **kw)


#: batchnorm_forward stores its running statistics in bn_param: compared like outputs
BN_STORES = {"stores": ("running_mean", "running_var")}


def _bn_alt(name, make, tags=()):
    return LayerCase(name, A, M, "batchnorm_forward", "batchnorm_backward_alt", make, XGB,
                     T.BATCHNORM, frozenset(tags), **SMO, **BN_STORES)


def _conv_case(name, make, tags):
    return LayerCase(name, A, M, "conv_forward_naive", "conv_backward_naive", make, XWB, T.CONV,
                     frozenset(tags), **LIN)


def _pool_case(name, make, tags):
    return LayerCase(name, A, M, "max_pool_forward_naive", "max_pool_backward_naive", make, X,
                     T.EXACT, frozenset(tags), **LIN)


def _kinked(*shape, **kwargs):
    """x off the kink at 0 (relu, leaky_relu); kwargs passed to the forward (alpha)."""
    return lambda rng: ((away_from(rng, *shape),), dict(kwargs))


def _prelu(n, d):
    return lambda rng: ((away_from(rng, n, d), rng.uniform(0.05, 0.5, d)), {})


def _saturated(*shape):
    """|z| in [4, 8] with random signs: local gradients down to 3e-4."""
    return lambda rng: ((rng.choice([-1.0, 1.0], shape) * rng.uniform(4, 8, shape),), {})


def _ln_inputs(n, d, eps=1e-5):
    ln_param = {"eps": eps}
    return lambda rng: ((normal(rng, n, d), normal(rng, d), normal(rng, d), dict(ln_param)), {})


def _dropout(shape, p, mode="train"):
    def make(rng):
        param = {"p": p, "mode": mode}
        if mode == "train":
            param["seed"] = int(rng.integers(1 << 30))
        return (normal(rng, *shape), param), {}
    return make


def _clip(shape, lo, hi, kwargs=False):
    def make(rng):
        x = away_from(rng, *shape, kinks=(lo, hi), scale=1.5 * max(abs(lo), abs(hi)))
        return (x,), ({"lo": lo, "hi": hi} if kwargs else {})
    return make


def _affine(n, *dims, m=3):
    def make(rng):
        d = int(np.prod(dims))
        return (normal(rng, n, *dims), normal(rng, d, m), normal(rng, m)), {}
    return make


def _bn_inputs(n, d, *, scale=1.0, running=False, mode="train"):
    """x (n, d) with per-feature offsets; gamma, beta (d,); bn_param, optionally holding the
    running statistics of five earlier train steps on batches from the same distribution
    (momentum 0.8, eps 1e-3, so both keys are exercised)."""
    def make(rng):
        offset = normal(rng, d, scale=3 * scale)
        # every documented hyperparameter explicit: a student's other default is never tested
        bn_param = {"mode": mode, "eps": 1e-5, "momentum": 0.9}
        if running:
            momentum, mean, var = 0.8, np.zeros(d), np.zeros(d)
            for _ in range(5):
                batch = normal(rng, n, d, scale=scale) + offset
                mean = momentum * mean + (1 - momentum) * batch.mean(axis=0)
                var = momentum * var + (1 - momentum) * batch.var(axis=0)
            bn_param.update(momentum=momentum, eps=1e-3, running_mean=mean, running_var=var)
        x = normal(rng, n, d, scale=scale) + offset
        return (x, normal(rng, d), normal(rng, d), bn_param), {}
    return make


def _conv(n, c, h, w, f, hh, ww, stride, pad):
    def make(rng):
        x, k, b = normal(rng, n, c, h, w), normal(rng, f, c, hh, ww), normal(rng, f)
        return (x, k, b, {"stride": stride, "pad": pad}), {}
    return make


def _pool(n, c, h, w, ph, pw, stride):
    def make(rng):
        pool_param = {"pool_height": ph, "pool_width": pw, "stride": stride}
        return (distinct(rng, n, c, h, w), pool_param), {}
    return make


def _huber_inputs(n, d, delta=None):
    def make(rng):
        y = normal(rng, n, d)
        dl = 1.0 if delta is None else delta
        # off the kinks at +-delta, and off 0 where dx = r would be tiny (relative errors of
        # near-zero elements measure rounding, not correctness)
        r = away_from(rng, n, d, kinks=(-dl, 0.0, dl), gap=0.2 * dl, scale=1.5 * dl)
        return (y + r, y), {"delta": dl}
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
    # affine: linear in each input; 4-D input flattened; batch 1
    _layer("affine 2-D", "affine", _affine(4, 5), XWB, T.AFFINE, **LIN),
    _layer("affine 4-D input flattened", "affine", _affine(2, 3, 2, 2, m=4), XWB, T.AFFINE,
           {"flatten"}, **LIN),
    _layer("affine batch 1", "affine", _affine(1, 6), XWB, T.AFFINE, {"batch1"}, **LIN),
    # relu / leaky / prelu: linear pieces, inputs >= 0.1 from the kink at 0
    _layer("relu 2-D", "relu", _kinked(4, 5), X, T.EXACT, **LIN, family="rectifier"),
    _layer("relu 3-D input", "relu", _kinked(2, 3, 4), X, T.EXACT, {"3d"}, **LIN, family="rectifier"),
    _layer("relu batch 1", "relu", _kinked(1, 7), X, T.EXACT, {"batch1"}, **LIN, family="rectifier"),
    _layer("leaky_relu alpha=0.01", "leaky_relu", _kinked(4, 5, alpha=0.01), X, T.EXACT,
           {"kwarg"}, **LIN, family="rectifier"),
    _layer("leaky_relu alpha=0.2, 3-D", "leaky_relu", _kinked(2, 3, 4, alpha=0.2), X, T.EXACT,
           {"3d", "kwarg"}, **LIN, family="rectifier"),
    _layer("prelu per-feature slopes", "prelu", _prelu(5, 4), XA, T.EXACT, **LIN),
    _layer("prelu batch 1", "prelu", _prelu(1, 6), XA, T.EXACT, {"batch1"}, **LIN),
    # sigmoid / tanh: smooth; saturated sigmoid inputs make the smallest local gradients
    _layer("sigmoid", "sigmoid", lambda r: ((normal(r, 4, 5, scale=2.0),), {}), X, T.ACTIVATION,
           **SMO, family="sigmoid"),
    _layer("sigmoid saturated inputs (|z| in 4..8)", "sigmoid", _saturated(3, 4), X,
           T.ACTIVATION, {"saturated"}, **SMO, family="sigmoid"),
    _layer("tanh", "tanh", lambda r: ((normal(r, 4, 5),), {}), X, T.ACTIVATION, **SMO, family="tanh"),
    _layer("tanh 3-D input", "tanh", lambda r: ((normal(r, 2, 3, 4),), {}), X, T.ACTIVATION,
           {"3d"}, **SMO, family="tanh"),
    # batchnorm (train mode): running stats present must not change the gradient; a
    # scaled, offset input; both backward forms on the same forward
    _layer("batchnorm train", "batchnorm", _bn_inputs(8, 5), XGB, T.BATCHNORM, **SMO, **BN_STORES),
    _layer("batchnorm train, running stats after several steps", "batchnorm",
           _bn_inputs(6, 4, running=True), XGB, T.BATCHNORM, {"running_stats"}, **SMO, **BN_STORES),
    _layer("batchnorm train, scaled and offset input", "batchnorm", _bn_inputs(5, 3, scale=10.0),
           XGB, T.BATCHNORM, {"scale"}, **SMO, **BN_STORES),
    _bn_alt("batchnorm_backward_alt train", _bn_inputs(8, 5)),
    _bn_alt("batchnorm_backward_alt, running stats", _bn_inputs(6, 4, running=True),
            {"running_stats"}),
    # test mode uses the running statistics: an affine map of x, compared by value only
    # (CS231n's batchnorm_backward is defined for train-mode caches)
    LayerCase("batchnorm test mode uses running stats", A, M, "batchnorm_forward", None,
              _bn_inputs(6, 4, running=True, mode="test"), (), T.VALUE,
              frozenset({"test_mode", "running_stats"}), kind="forward", **BN_STORES),
    _layer("layernorm", "layernorm", _ln_inputs(4, 6), XGB, T.LAYERNORM, **SMO),
    _layer("layernorm batch 1", "layernorm", _ln_inputs(1, 7, eps=1e-3), XGB, T.LAYERNORM,
           {"batch1"}, **SMO),
    # dropout: linear in x for a fixed mask; the seed fixes the mask across forward calls
    _layer("dropout train p=0.7 seeded", "dropout", _dropout((6, 5), 0.7), X, T.EXACT, {"rng"},
           **LIN, family="inverted_dropout"),
    _layer("dropout train 3-D, p=0.3", "dropout", _dropout((2, 3, 4), 0.3), X, T.EXACT,
           {"rng", "3d"}, **LIN, family="inverted_dropout"),
    _layer("dropout test mode is the identity", "dropout", _dropout((4, 5), 0.5, mode="test"), X,
           T.EXACT, {"test_mode"}, **LIN, family="inverted_dropout"),
    # clip: linear pieces, inputs >= 0.1 from both bounds
    _layer("clip lo=-1, hi=1", "clip", _clip((5, 6), -1.0, 1.0, kwargs=True), X, T.EXACT,
           {"kwarg"}, **LIN, family="clip"),
    _layer("clip lo=-0.5, hi=2", "clip", _clip((4, 5), -0.5, 2.0, kwargs=True), X, T.EXACT,
           {"kwarg"}, **LIN, family="clip"),
    # gather: linear; repeated indices must accumulate
    _layer("gather one per row", "gather", _gather(5, 4), X, T.EXACT, **LIN),
    _layer("gather K per row, repeated indices", "gather", _gather(4, 3, k=5, repeated=True), X,
           T.EXACT, {"repeated"}, **LIN),
    _layer("gather batch 1", "gather", _gather(1, 6, k=3, repeated=True), X, T.EXACT,
           {"batch1", "repeated"}, **LIN),
    # conv: stride, padding, non-square inputs and kernels (all output sizes divide exactly)
    _conv_case("conv stride 1, pad 1", _conv(2, 3, 5, 5, 4, 3, 3, 1, 1), {"pad"}),
    _conv_case("conv stride 2, non-square input and kernel", _conv(2, 2, 7, 6, 3, 3, 2, 2, 1),
               {"stride", "pad", "non_square"}),
    _conv_case("conv stride 2, no padding, batch 1", _conv(1, 3, 5, 7, 2, 3, 3, 2, 0),
               {"stride", "batch1", "non_square"}),
    # pad 0 with non-square outputs (3x5, 3x4): reshape(N, F, out_h, out_h) and index
    # arithmetic such as h * out_h + w fail here
    _conv_case("conv stride 1, no padding, 3x5 output", _conv(2, 2, 5, 7, 3, 3, 3, 1, 0),
               {"non_square_out"}),
    _conv_case("conv stride 2, no padding, 2x3 kernel, 3x4 output",
               _conv(1, 2, 6, 9, 2, 2, 3, 2, 0), {"stride", "non_square", "non_square_out"}),
    # max pool: distinct inputs (unique window maxima by >= 0.05); overlapping windows
    _pool_case("max_pool 2x2 stride 2", _pool(2, 3, 4, 4, 2, 2, 2), set()),
    _pool_case("max_pool 3x3 stride 1, overlapping windows", _pool(2, 2, 5, 5, 3, 3, 1),
               {"overlap"}),
    _pool_case("max_pool 3x2 window stride 1, non-square, batch 1", _pool(1, 2, 5, 4, 3, 2, 1),
               {"overlap", "non_square", "batch1"}),
    _pool_case("max_pool 3x3 stride 2, overlapping", _pool(2, 2, 7, 7, 3, 3, 2),
               {"overlap", "stride"}),
    # 2x3 windows: non-square windows and outputs (3x4 at stride 1, 2x3 at stride 2)
    _pool_case("max_pool 2x3 window stride 1 on 4x6", _pool(2, 2, 4, 6, 2, 3, 1),
               {"overlap", "non_square", "non_square_out"}),
    _pool_case("max_pool 2x3 window stride 2 on 4x7", _pool(1, 3, 4, 7, 2, 3, 2),
               {"overlap", "stride", "non_square", "non_square_out"}),
    # losses: softmax smooth; svm / mse / huber piecewise quadratic, inputs off their kinks
    _loss("softmax_loss", "softmax_loss", _softmax_inputs(5, 4), T.SOFTMAX, **SMO),
    _loss("softmax_loss batch 1", "softmax_loss", _softmax_inputs(1, 6), T.SOFTMAX, {"batch1"},
          **SMO),
    _loss("svm_loss margins off the hinge", "svm_loss", _svm_inputs(6, 5), T.EXACT, **LIN),
    _loss("svm_loss batch 1", "svm_loss", _svm_inputs(1, 4), T.EXACT, {"batch1"}, **LIN),
    _loss("mse_loss", "mse_loss", _mse_inputs(4, 3), T.EXACT, **LIN),
    _loss("mse_loss 3-D", "mse_loss", _mse_inputs(2, 3, 2), T.EXACT, {"3d"}, **LIN),
    _loss("huber_loss delta=1", "huber_loss", _huber_inputs(4, 5), T.EXACT, **LIN),
    _loss("huber_loss delta=0.5", "huber_loss", _huber_inputs(3, 4, delta=0.5), T.EXACT,
          {"kwarg"}, **LIN),
]


# Cases added by mutation testing (docs/MUTANTS.md): each tells apart a fault the cases above
# cannot. Output height != width (a mutant using H_out for W_out), a kernel taller than wide
# (HH for WW), prelu on a 3-D input (x.shape[1] for x.shape[-1]).
def _prelu_nd(*shape):
    return lambda rng: ((away_from(rng, *shape), rng.uniform(0.05, 0.5, shape[-1])), {})


CASES += [
    _pool_case("max_pool 2x2 stride 2, output taller than wide", _pool(1, 2, 6, 4, 2, 2, 2),
               {"non_square"}),
    _conv_case("conv stride 1, pad 1, 3x2 kernel, output taller than wide",
               _conv(1, 2, 6, 4, 2, 3, 2, 1, 1), {"pad", "non_square"}),
    _layer("prelu 3-D input", "prelu", _prelu_nd(2, 3, 4), XA, T.EXACT, {"3d"}, **LIN),
]
