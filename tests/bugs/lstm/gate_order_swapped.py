"""lstm_step_forward (and its backward, consistently) splits the gates as input, output, forget, block: forget and output swapped against the documented order."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/lstm_step_forward', 'rnn/lstm_forward']
MAY_FAIL = ['rnn/lstm_step_backward', 'rnn/lstm_backward']
TAGS = ['forward']

import numpy as np


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    i = _sigmoid(a[:, :H])
    o = _sigmoid(a[:, H:2 * H])
    f = _sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    cache = (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    tanh_c = np.tanh(next_c)
    dc = dnext_c + dnext_h * o * (1.0 - tanh_c ** 2)
    di, df, do, dg = dc * g, dc * prev_c, dnext_h * tanh_c, dc * i
    da = np.concatenate(
        [di * i * (1 - i), do * o * (1 - o), df * f * (1 - f), dg * (1 - g ** 2)], axis=1)
    dprev_c = dc * f
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dprev_c, dWx, dWh, db
