# CORRECT: all
# NOTE: loops over time with the step caches in a dict keyed by t; an LSTM with one fused
# matmul on [x, h] and stacked weights, caches holding only what backward needs; a one-hot
# embedding backward; einsum temporal affine; a temporal softmax looping over timesteps;
# type hints and a debug print.
from typing import Dict, Tuple

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(np.concatenate([x, prev_h], axis=1) @ np.vstack([Wx, Wh]) + b)
    return next_h, {"x": x, "h": prev_h, "Wx": Wx, "Wh": Wh, "out": next_h}


def rnn_step_backward(dnext_h, cache):
    dz = (1 - cache["out"] ** 2) * dnext_h
    dx = dz @ cache["Wx"].T
    dprev_h = dz @ cache["Wh"].T
    dWx = cache["x"].T @ dz
    dWh = cache["h"].T @ dz
    db = dz.sum(0)
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(x: np.ndarray, h0: np.ndarray, Wx, Wh, b) -> Tuple[np.ndarray, Dict[int, dict]]:
    N, T, D = x.shape
    hs = []
    caches = {}
    h = h0
    for t in range(T):
        h, caches[t] = rnn_step_forward(x[:, t], h, Wx, Wh, b)
        hs.append(h)
    print("rnn_forward: T =", T, "H =", h0.shape[1])
    return np.stack(hs, axis=1), caches


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0]["x"].shape[1]
    dx = np.zeros((N, T, D))
    dWx = np.zeros((D, H))
    dWh = np.zeros((H, H))
    db = np.zeros(H)
    carry = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dxt, carry, a, c, d = rnn_step_backward(dh[:, t] + carry, cache[t])
        dx[:, t] = dxt
        dWx += a
        dWh += c
        db += d
    return dx, carry, dWx, dWh, db


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    xh = np.hstack((x, prev_h))
    W = np.vstack((Wx, Wh))
    a = xh @ W + b
    gates = np.empty_like(a)
    gates[:, :3 * H] = sigmoid(a[:, :3 * H])
    gates[:, 3 * H:] = np.tanh(a[:, 3 * H:])
    i, f, o, g = np.split(gates, 4, axis=1)
    next_c = f * prev_c + i * g
    tc = np.tanh(next_c)
    next_h = o * tc
    cache = (xh, W, prev_c, gates, tc, x.shape[1])
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    xh, W, prev_c, gates, tc, D = cache
    i, f, o, g = np.split(gates, 4, axis=1)
    dc = dnext_c + dnext_h * o * (1 - tc * tc)
    da = np.hstack((dc * g * i * (1 - i),
                    dc * prev_c * f * (1 - f),
                    dnext_h * tc * o * (1 - o),
                    dc * i * (1 - g * g)))
    dW = xh.T @ da
    dxh = da @ W.T
    return dxh[:, :D], dxh[:, D:], dc * f, dW[:D], dW[D:], da.sum(axis=0)


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    c = np.zeros((N, H))
    prev = h0
    steps = {}
    for t in range(T):
        prev, c, steps[t] = lstm_step_forward(x[:, t, :], prev, c, Wx, Wh, b)
        h[:, t, :] = prev
    return h, (steps, D)


def lstm_backward(dh, cache):
    steps, D = cache
    N, T, H = dh.shape
    dx = np.zeros((N, T, D))
    dWx, dWh, db = np.zeros((D, 4 * H)), np.zeros((H, 4 * H)), np.zeros(4 * H)
    dh_next = np.zeros((N, H))
    dc_next = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_next, dc_next, a, c, d = lstm_step_backward(dh[:, t] + dh_next, dc_next,
                                                                 steps[t])
        dWx, dWh, db = dWx + a, dWh + c, db + d
    return dx, dh_next, dWx, dWh, db


def word_embedding_forward(x, W):
    V = W.shape[0]
    onehot = np.eye(V)[x]  # (N, T, V)
    out = onehot @ W
    return out, onehot


def word_embedding_backward(dout, cache):
    onehot = cache
    V = onehot.shape[-1]
    D = dout.shape[-1]
    return onehot.reshape(-1, V).T @ dout.reshape(-1, D)


def temporal_affine_forward(x, w, b):
    out = np.einsum("ntd,dm->ntm", x, w) + b
    return out, (x, w)


def temporal_affine_backward(dout, cache):
    x, w = cache
    dx = np.einsum("ntm,dm->ntd", dout, w)
    dw = np.einsum("ntd,ntm->dm", x, dout)
    db = np.einsum("ntm->m", dout)
    return dx, dw, db


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for t in range(T):
        s = x[:, t, :]
        s = s - s.max(axis=1, keepdims=True)
        p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
        m = mask[:, t]
        loss -= np.sum(np.log(p[np.arange(N), y[:, t]]) * m)
        p[np.arange(N), y[:, t]] -= 1
        dx[:, t, :] = p * m[:, None]
    if verbose:
        print("dx:", dx.shape)
    return loss / N, dx / N


def clip_grad_norm(grads, max_norm):
    total = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    factor = min(1.0, max_norm / (total + 0.0)) if total > 0 else 1.0
    return {k: v * factor for k, v in grads.items()}, total
