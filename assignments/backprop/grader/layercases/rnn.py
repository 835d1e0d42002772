"""Layer cases of the rnn assignment (module `rnn_layers`).

Weights are scaled (0.3 .. 0.5) so pre-activations stay in tanh/sigmoid's responsive range:
saturated units make gradient elements tiny and the relative error meaningless. Recurrent
chains multiply T Jacobians, so small gradient elements (where rounding dominates) are more
frequent than in a single layer; worst measured over 50 seeds are noted beside each bar.
"""

from __future__ import annotations

import numpy as np

from .case import LayerCase
from .inputs import LINEAR as LIN, SMOOTH as SMO, labels, normal, with_repeats

A, M = "rnn", "rnn_layers"
STEP = (("x", 0), ("prev_h", 1), ("Wx", 2), ("Wh", 3), ("b", 4))
SEQ = (("x", 0), ("h0", 1), ("Wx", 2), ("Wh", 3), ("b", 4))
LSTM_STEP = (("x", 0), ("prev_h", 1), ("prev_c", 2), ("Wx", 3), ("Wh", 4), ("b", 5))


def _case(name, stem, make, wrt, threshold, tags=(), **kw):
    return LayerCase(name, A, M, f"{stem}_forward", f"{stem}_backward", make, wrt, threshold,
                     frozenset(tags), **kw)


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
            mask[:, 0] = True          # at least one counted step per sequence
            mask[:, -1] = False        # and at least one masked-out step
        return (normal(rng, n, t, v), labels(rng, n, v, t), mask), {}
    return make


CASES = [
    # one tanh step: smooth, worst measured ~1e-8
    _case("rnn_step", "rnn_step", _rnn_step(3, 4, 5), STEP, 1e-6, **SMO),
    _case("rnn_step batch 1", "rnn_step", _rnn_step(1, 3, 4), STEP, 1e-6, {"batch1"}, **SMO),
    # BPTT over T steps; worst measured ~1e-7
    _case("rnn T=4", "rnn", _seq(2, 4, 3, 5), SEQ, 1e-5, **SMO),
    _case("rnn batch 1, T=7", "rnn", _seq(1, 7, 2, 3), SEQ, 1e-5, {"batch1", "long"}, **SMO),
    # lstm step returns (next_h, next_c, cache): two upstream gradients
    _case("lstm_step", "lstm_step", _lstm_step(3, 4, 5), LSTM_STEP, 1e-5, outputs=2, **SMO),
    _case("lstm_step batch 1", "lstm_step", _lstm_step(1, 3, 2), LSTM_STEP, 1e-5, {"batch1"},
          outputs=2, **SMO),
    # lstm BPTT: the longest products of Jacobians here; worst measured ~3e-6 (a dWh element
    # near 0), so the bar is 1e-4; broken gate derivatives give >= 1e-2
    _case("lstm T=3", "lstm", _seq(2, 3, 4, 3, gates=4), SEQ, 1e-4, **SMO),
    _case("lstm batch 1, T=6", "lstm", _seq(1, 6, 3, 2, gates=4), SEQ, 1e-4, {"batch1", "long"}, **SMO),
    # embedding and temporal affine are linear: rounding only
    _case("word_embedding repeated words", "word_embedding", _embedding(2, 5, 4, 3), (("W", 1),),
          1e-7, {"repeated"}, **LIN),
    _case("word_embedding batch 1, repeated", "word_embedding", _embedding(1, 6, 3, 2),
          (("W", 1),), 1e-7, {"repeated", "batch1"}, **LIN),
    _case("temporal_affine", "temporal_affine", _temporal_affine(2, 3, 4, 5),
          (("x", 0), ("w", 1), ("b", 2)), 1e-7, **LIN),
    _case("temporal_affine batch 1", "temporal_affine", _temporal_affine(1, 4, 3, 2),
          (("x", 0), ("w", 1), ("b", 2)), 1e-7, {"batch1"}, **LIN),
    # softmax over V per step: smooth, worst measured ~1e-8; masked steps have exactly zero gradient
    LayerCase("temporal_softmax_loss masked timesteps", A, M, "temporal_softmax_loss", None,
              _temporal_softmax(3, 4, 5, masked=True), (("x", 0),), 1e-6, frozenset({"mask"}),
              kind="loss", **SMO),
    LayerCase("temporal_softmax_loss no mask", A, M, "temporal_softmax_loss", None,
              _temporal_softmax(2, 3, 4, masked=False), (("x", 0),), 1e-6, kind="loss", **SMO),
    LayerCase("temporal_softmax_loss batch 1, masked", A, M, "temporal_softmax_loss", None,
              _temporal_softmax(1, 5, 3, masked=True), (("x", 0),), 1e-6,
              frozenset({"mask", "batch1"}), kind="loss", **SMO),
]
