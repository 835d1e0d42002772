"""rnn_step_backward takes tanh's derivative as 1 - tanh(next_h)**2, applying tanh to the output instead of using the pre-activation's tanh (next_h itself)."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/rnn_step_backward']
MAY_FAIL = ['rnn/rnn_backward']

import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1.0 - np.tanh(next_h) ** 2)
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dWx, dWh, db
