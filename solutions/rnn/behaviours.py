"""Behaviour of the student's recurrent layers: vanishing and exploding gradients through time.

The seed: backpropagating through T steps of a vanilla RNN multiplies the gradient by Whh^T
(and tanh's local gradient, at most 1) T times, so it shrinks geometrically when Whh's spectral
radius is below 1 and explodes when it is above; clipping by global norm bounds the explosion,
and an LSTM whose forget gate is near 1 carries the gradient along its cell state instead.

Set-up: T = 50 steps, the loss touches only the last hidden state (dh[:, -1] random, zero
elsewhere), Wh = radius * (random orthogonal matrix), the inputs enter through tiny weights
and h0 is tiny, so tanh stays in its linear regime and the gradient reaching h0 scales like
radius ** 50: 0.7 ** 50 = 1.8e-8 and 1.3 ** 50 = 4.9e5 for the reference (calibrated in
tests/checks/test_behaviour_calibration.py). The thresholds sit orders of magnitude inside.

Scenarios take `(student, rng)`; see grader.checks.behaviour_common.
"""

from __future__ import annotations

import numpy as np

from grader.checks.behaviour_common import expect_tuple, finite_array, global_norm, require

RNN_SHAPE = (4, 50, 3, 16)  # N, T, D, H
VANISHING_RADIUS, EXPLODING_RADIUS = 0.7, 1.3
MAX_VANISHING_RATIO = 1e-5  # reference: ~1.8e-8
MIN_EXPLODING_RATIO = 1e3   # reference: ~4.9e5
CLIP_MAX_NORM = 5.0
# LSTM with forget-gate bias FORGET_BIAS (sigmoid(10) = 0.99995): over 200 seeds the reference
# keeps a ratio between 0.19 and 6 where the vanilla RNN at radius 0.7 gives <= 1.8e-8; an LSTM
# whose forget gate sits elsewhere (gate order swapped) has f ~ 0.5 and gives ~0.5**50 = 1e-15.
FORGET_BIAS = 10.0
MIN_LSTM_RATIO = 1e-2


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _rnn_inputs(rng: np.random.Generator, radius: float, gates: int = 1):
    """x (N, T, D), h0 (N, H), Wx (D, gates*H), Wh (H, gates*H), b, dh (N, T, H)."""
    N, T, D, H = RNN_SHAPE
    x = rng.standard_normal((N, T, D))
    h0 = 1e-8 * rng.standard_normal((N, H))
    Wx = 1e-9 * rng.standard_normal((D, gates * H))
    Wh = np.concatenate([radius * _orthogonal(rng, H) for _ in range(gates)], axis=1)
    b = np.zeros(gates * H)
    dh = np.zeros((N, T, H))
    dh[:, -1] = rng.standard_normal((N, H))
    return x, h0, Wx, Wh, b, dh


def _rnn_gradients(student, module, prefix, x, h0, Wx, Wh, b, dh):
    """The student's <prefix>_forward then <prefix>_backward: dict of dx, dh0, dWx, dWh, db."""
    N, T, D = x.shape
    H = h0.shape[1]
    # the forward only makes the cache: its outputs are its own task's business
    _, cache = student.call(module, f"{prefix}_forward", x, h0, Wx, Wh, b, keep=(1,))
    result = student.call(module, f"{prefix}_backward", dh, cache)
    names = ("dx", "dh0", "dWx", "dWh", "db")
    result = expect_tuple(f"{prefix}_backward", result, names)
    shapes = ((N, T, D), (N, H), Wx.shape, Wh.shape, b.shape)
    return {n: finite_array(v, s, f"{prefix}_backward's {n}")
            for n, v, s in zip(names, result, shapes)}


def _ratio_to_h0(grads, dh) -> float:
    return float(np.linalg.norm(grads["dh0"]) / np.linalg.norm(dh[:, -1]))


def rnn_vanishing_gradient(student, rng: np.random.Generator) -> None:
    """Spectral radius 0.7: the gradient reaching h0 after 50 steps shrinks by >= 1e5."""
    x, h0, Wx, Wh, b, dh = _rnn_inputs(rng, VANISHING_RADIUS)
    ratio = _ratio_to_h0(_rnn_gradients(student, "rnn_layers", "rnn", x, h0, Wx, Wh, b, dh), dh)
    require(ratio <= MAX_VANISHING_RATIO,
            f"with Wh of spectral radius {VANISHING_RADIUS} the gradient flowing back 50 steps "
            f"to h0 should vanish (about {VANISHING_RADIUS}**50 = {VANISHING_RADIUS ** 50:.1g} "
            f"of the last step's); rnn_backward's dh0 is {ratio:.3g} of it",
            errors={"dh0_ratio": ratio}, thresholds={"dh0_ratio": MAX_VANISHING_RATIO})


def rnn_exploding_gradient(student, rng: np.random.Generator) -> None:
    """Spectral radius 1.3: the gradient reaching h0 after 50 steps grows by >= 1e3."""
    x, h0, Wx, Wh, b, dh = _rnn_inputs(rng, EXPLODING_RADIUS)
    ratio = _ratio_to_h0(_rnn_gradients(student, "rnn_layers", "rnn", x, h0, Wx, Wh, b, dh), dh)
    require(ratio >= MIN_EXPLODING_RATIO,
            f"with Wh of spectral radius {EXPLODING_RADIUS} the gradient flowing back 50 steps "
            f"to h0 should explode (about {EXPLODING_RADIUS}**50 = {EXPLODING_RADIUS ** 50:.1g} "
            f"times the last step's); rnn_backward's dh0 is only {ratio:.3g} times it. Does "
            "the gradient from step t+1 get added to dh[:, t] before stepping back?",
            errors={"dh0_ratio": ratio}, thresholds={"dh0_ratio": MIN_EXPLODING_RATIO})


def clip_grad_norm_bounds_explosion(student, rng: np.random.Generator) -> None:
    """clip_grad_norm scales exploding gradients to global norm max_norm, keeping direction.

    The gradients are an exploding RNN's (dWx, dWh, db, dh0 at radius 1.3), computed in the
    grader with the same recurrence so that this check depends on clip_grad_norm alone.
    """
    grads = _exploding_reference_gradients(rng)
    total = global_norm(grads.values())
    sent = {k: v.copy() for k, v in grads.items()}
    result = student.call("rnn_layers", "clip_grad_norm", sent, CLIP_MAX_NORM)
    clipped, reported = expect_tuple("clip_grad_norm", result, ("clipped", "total_norm"))
    require(isinstance(clipped, dict), "clip_grad_norm should return the clipped gradients as a "
            f"dict with the same keys as grads, got {type(clipped).__name__}")
    require(set(clipped) == set(grads), "clip_grad_norm's dict should have the keys "
            f"{sorted(grads)}, got {sorted(clipped)}")
    clipped = {k: finite_array(clipped[k], grads[k].shape, f"clip_grad_norm's {k!r}")
               for k in grads}
    norm = global_norm(clipped.values())
    require(norm <= CLIP_MAX_NORM * (1 + 1e-9),
            f"gradients of global norm {total:.3g} clipped to max_norm {CLIP_MAX_NORM:g} should "
            f"have global norm {CLIP_MAX_NORM:g}; clip_grad_norm's have {norm:.3g}. The norm is "
            "over all arrays together, not each array on its own",
            errors={"clipped_norm": norm}, thresholds={"clipped_norm": CLIP_MAX_NORM})
    flat = np.concatenate([grads[k].ravel() for k in sorted(grads)])
    flat_clipped = np.concatenate([clipped[k].ravel() for k in sorted(grads)])
    expected = flat * (CLIP_MAX_NORM / total)
    error = float(np.linalg.norm(flat_clipped - expected) / CLIP_MAX_NORM)
    require(error <= 1e-9,
            "clipping by global norm scales every array by the same factor max_norm / "
            f"total_norm, keeping the direction; clip_grad_norm's result is off by {error:.3g} "
            "(relative)", errors={"direction": error}, thresholds={"direction": 1e-9})
    reported_error = abs(float(np.asarray(reported, dtype=float)) - total) / total
    require(reported_error <= 1e-9,
            f"clip_grad_norm should return the global norm before clipping, {total:.6g}; "
            f"it returned {float(np.asarray(reported, dtype=float)):.6g}",
            errors={"total_norm": reported_error}, thresholds={"total_norm": 1e-9})


def _exploding_reference_gradients(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """dWx, dWh, db, dh0 of a linear-regime RNN at radius 1.3 (pure numpy, in the grader)."""
    x, h0, Wx, Wh, b, dh = _rnn_inputs(rng, EXPLODING_RADIUS)
    N, T, D = x.shape
    hs = [h0]
    for t in range(T):
        hs.append(np.tanh(x[:, t] @ Wx + hs[-1] @ Wh + b))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dprev = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dh[:, t] + dprev) * (1 - hs[t + 1] ** 2)
        dWx += x[:, t].T @ da
        dWh += hs[t].T @ da
        db += da.sum(axis=0)
        dprev = da @ Wh.T
    return {"Wx": dWx, "Wh": dWh, "b": db, "h0": dprev}


def lstm_carries_gradient(student, rng: np.random.Generator) -> None:
    """With its forget gate near 1, the student's LSTM carries gradient to h0 over 50 steps,
    in the set-up (radius 0.7) where a vanilla RNN's gradient vanishes to ~1e-8."""
    x, h0, Wx, Wh, b, dh = _rnn_inputs(rng, VANISHING_RADIUS, gates=4)
    H = h0.shape[1]
    h0 = rng.standard_normal(h0.shape)  # the cell must see h0 to carry its gradient
    b[H:2 * H] = FORGET_BIAS  # CS231n gate order: input, forget, output, candidate
    ratio = _ratio_to_h0(_rnn_gradients(student, "rnn_layers", "lstm", x, h0, Wx, Wh, b, dh), dh)
    require(ratio >= MIN_LSTM_RATIO,
            "an LSTM whose forget gate is near 1 (bias +10 on the forget gate, the second block "
            "of 4H in the order input, forget, output, candidate) carries the gradient back "
            f"along its cell state: 50 steps back, dh0 should be at least {MIN_LSTM_RATIO:g} of "
            f"the last step's gradient (a vanilla RNN here gives ~1e-8); lstm_backward's dh0 is "
            f"{ratio:.3g} of it. Check the gate order and the cell-state gradient through time",
            errors={"dh0_ratio": ratio}, thresholds={"dh0_ratio": MIN_LSTM_RATIO})
