# CORRECT: all
# WRONG: rnn_backward
# NOTE: vectorised RNN step; rnn_backward forgets to add the gradient carried from step t+1.
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h, {"x": x, "h": prev_h, "Wx": Wx, "Wh": Wh, "out": next_h}


def rnn_step_backward(dnext_h, cache):
    da = dnext_h * (1 - cache["out"] ** 2)
    return (da @ cache["Wx"].T, da @ cache["Wh"].T, cache["x"].T @ da, cache["h"].T @ da,
            da.sum(axis=0))


def rnn_forward(x, h0, Wx, Wh, b):
    hs, caches, h = [], [], h0
    for t in range(x.shape[1]):
        h, c = rnn_step_forward(x[:, t, :], h, Wx, Wh, b)
        hs.append(h)
        caches.append(c)
    return np.stack(hs, axis=1), caches


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    dxs = [None] * T
    dWx, dWh, db = 0, 0, 0
    dprev = np.zeros((N, H))
    for t in reversed(range(T)):
        dx_t, dprev, a, bb, c = rnn_step_backward(dh[:, t, :], cache[t])
        dxs[t] = dx_t
        dWx, dWh, db = dWx + a, dWh + bb, db + c
    return np.stack(dxs, axis=1), dprev, dWx, dWh, db
