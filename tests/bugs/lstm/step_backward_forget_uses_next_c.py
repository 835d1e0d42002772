"""lstm_step_backward takes the forget gate's gradient as dc * next_c instead of dc * prev_c."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/lstm_step_backward']
MAY_FAIL = ['rnn/lstm_backward']

import numpy as np


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    tanh_c = np.tanh(next_c)
    dc = dnext_c + dnext_h * o * (1.0 - tanh_c ** 2)
    di, df, do, dg = dc * g, dc * next_c, dnext_h * tanh_c, dc * i
    da = np.concatenate(
        [di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g ** 2)], axis=1)
    dprev_c = dc * f
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dprev_c, dWx, dWh, db
