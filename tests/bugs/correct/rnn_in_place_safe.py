"""RNN and LSTM backward that copy dh and accumulate the recurrent gradient into it in place (in-place safe: the caller's array is untouched), and a clip_grad_norm that copies then scales in place."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = []

import numpy as np


def rnn_backward(dh, cache):
    dh = dh.copy()
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.empty((N, T, D))
    dWx, dWh, db = 0.0, 0.0, 0.0
    dh0 = None
    for t in range(T - 1, -1, -1):
        dx[:, t], dprev, gWx, gWh, gb = rnn_step_backward(dh[:, t], cache[t])
        dWx, dWh, db = dWx + gWx, dWh + gWh, db + gb
        if t > 0:
            dh[:, t - 1] += dprev
        else:
            dh0 = dprev
    return dx, dh0, dWx, dWh, db


def lstm_backward(dh, cache):
    dh = dh.copy()
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.empty((N, T, D))
    dWx, dWh, db = 0.0, 0.0, 0.0
    dc = np.zeros((N, H))
    dh0 = None
    for t in range(T - 1, -1, -1):
        dx[:, t], dprev, dc, gWx, gWh, gb = lstm_step_backward(dh[:, t], dc, cache[t])
        dWx, dWh, db = dWx + gWx, dWh + gWh, db + gb
        if t > 0:
            dh[:, t - 1] += dprev
        else:
            dh0 = dprev
    return dx, dh0, dWx, dWh, db


def clip_grad_norm(grads, max_norm):
    clipped = {k: np.array(v, dtype=float, copy=True) for k, v in grads.items()}
    total_norm = float(np.sqrt(sum(np.vdot(v, v) for v in clipped.values())))
    if total_norm > max_norm:
        for v in clipped.values():
            v *= max_norm / total_norm
    return clipped, total_norm
