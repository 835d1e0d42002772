"""Layer cases of the rnn assignment (module `rnn_layers`): `CASES`, read by the framework
(grader.layercases.load_cases) and shipped with the student release (the public checks use it).

Weights are scaled (0.3 .. 0.5) so pre-activations stay in tanh/sigmoid's responsive range:
saturated units make gradient elements tiny and the relative error meaningless. Thresholds are
the bars below (the rule: grader/layercases/inputs.py; the measurements beside each bar).
"""

from __future__ import annotations

import numpy as np

from grader.layercases import LayerCase
from grader.layercases.inputs import LINEAR as LIN, SMOOTH as SMO, labels, normal, with_repeats


class T:
    """Per-function relative-error bars, measured with the reference solutions on the project
    machine (2-core VM, numpy 2.4), 1000 seeds per case (100 for lstm); p99 / worst per
    function."""

    #: word embedding, an exact map (one input element per output element): p99 <= 5.5e-12
    EXACT = 1e-7
    #: temporal_affine, sums of products: 1.5e-10 / 1.4e-9
    AFFINE = 1e-6
    #: temporal_softmax_loss 1.7e-10 / 4.1e-10
    SOFTMAX = 1e-6
    #: recurrences multiply Jacobians: rnn_step 1.1e-9 / 7.4e-8, rnn 7.4e-9 / 7.2e-7,
    #: lstm_step 3.0e-9 / 1.2e-8, lstm 7.5e-9 / 8.5e-9 (100 seeds only, hence one decade more)
    RNN = 1e-5
    LSTM_STEP = 1e-5
    LSTM = 1e-4


A, M = "rnn", "rnn_layers"
STEP = (("x", 0), ("prev_h", 1), ("Wx", 2), ("Wh", 3), ("b", 4))
SEQ = (("x", 0), ("h0", 1), ("Wx", 2), ("Wh", 3), ("b", 4))
LSTM_STEP = (("x", 0), ("prev_h", 1), ("prev_c", 2), ("Wx", 3), ("Wh", 4), ("b", 5))
XWB = (("x", 0), ("w", 1), ("b", 2))
W = (("W", 1),)


def _case(name, stem, make, wrt, threshold, tags=(), **kw):
    return LayerCase(name, A, M, f"{stem}_forward", f"{stem}_backward", make, wrt, threshold,
                     frozenset(tags), **kw)


def _tsl(name, make, tags):
    return LayerCase(name, A, M, "temporal_softmax_loss", None, make, (("x", 0),), T.SOFTMAX,
                     frozenset(tags), kind="loss", **SMO)


def _rnn_step(n, d, h, gates=1):
    def make(rng):
        return (normal(rng, n, d), normal(rng, n, h), normal(rng, d, gates * h, scale=0.5),
                normal(rng, h, gates * h, scale=0.5), normal(rng, gates * h, scale=0.3)), {}
    return make


def _lstm_step(n, d, h):
    def make(rng):
        return (normal(rng, n, d), normal(rng, n, h), normal(rng, n, h),
                normal(rng, d, 4 * h, scale=0.5), normal(rng, h, 4 * h, scale=0.5),
                normal(rng, 4 * h, scale=0.3)), {}
    return make


def _seq(n, t, d, h, gates=1):
    def make(rng):
        return (normal(rng, n, t, d), normal(rng, n, h), normal(rng, d, gates * h, scale=0.4),
                normal(rng, h, gates * h, scale=0.4), normal(rng, gates * h, scale=0.3)), {}
    return make


def _embedding(n, t, v, d):
    def make(rng):
        return (with_repeats(rng, (n, t), v), normal(rng, v, d)), {}
    return make


def _temporal_affine(n, t, d, m):
    return lambda rng: ((normal(rng, n, t, d), normal(rng, d, m), normal(rng, m)), {})


def _temporal_softmax(n, t, v, *, masked):
    def make(rng):
        mask = np.ones((n, t), dtype=bool)
        if masked:
            mask = rng.random((n, t)) < 0.6
            mask[:, :1] = True         # at least one counted step per sequence
            mask[:, -1] = False        # and at least one masked-out step
        return (normal(rng, n, t, v), labels(rng, n, v, t), mask), {}
    return make


CASES = [
    _case("rnn_step", "rnn_step", _rnn_step(3, 4, 5), STEP, T.RNN, **SMO),
    _case("rnn_step batch 1", "rnn_step", _rnn_step(1, 3, 4), STEP, T.RNN, {"batch1"}, **SMO),
    # BPTT: the gradient of every h[:, t] reaches h0 and the shared weights
    _case("rnn T=4", "rnn", _seq(2, 4, 3, 5), SEQ, T.RNN, **SMO),
    _case("rnn batch 1, T=7", "rnn", _seq(1, 7, 2, 3), SEQ, T.RNN, {"batch1", "long"}, **SMO),
    # lstm step returns (next_h, next_c, cache): two upstream gradients
    _case("lstm_step", "lstm_step", _lstm_step(3, 4, 5), LSTM_STEP, T.LSTM_STEP, outputs=2,
          **SMO),
    _case("lstm_step batch 1", "lstm_step", _lstm_step(1, 3, 2), LSTM_STEP, T.LSTM_STEP,
          {"batch1"}, outputs=2, **SMO),
    _case("lstm T=3", "lstm", _seq(2, 3, 4, 3, gates=4), SEQ, T.LSTM, **SMO),
    _case("lstm batch 1, T=6", "lstm", _seq(1, 6, 3, 2, gates=4), SEQ, T.LSTM, {"batch1", "long"},
          **SMO),
    # embedding: words repeat within and across sequences, their gradients must accumulate
    _case("word_embedding repeated words", "word_embedding", _embedding(2, 5, 4, 3), W, T.EXACT,
          {"repeated"}, **LIN),
    _case("word_embedding batch 1, repeated", "word_embedding", _embedding(1, 6, 3, 2), W,
          T.EXACT, {"repeated", "batch1"}, **LIN),
    _case("temporal_affine", "temporal_affine", _temporal_affine(2, 3, 4, 5), XWB, T.AFFINE,
          **LIN),
    _case("temporal_affine batch 1", "temporal_affine", _temporal_affine(1, 4, 3, 2), XWB,
          T.AFFINE, {"batch1"}, **LIN),
    # masked-out steps have exactly zero gradient and add nothing to the loss
    _tsl("temporal_softmax_loss masked timesteps", _temporal_softmax(3, 4, 5, masked=True),
         {"mask"}),
    _tsl("temporal_softmax_loss no mask", _temporal_softmax(2, 3, 4, masked=False), set()),
    _tsl("temporal_softmax_loss batch 1, masked", _temporal_softmax(1, 5, 3, masked=True),
         {"mask", "batch1"}),
]
