"""rnn_step_backward computes dWh from next_h instead of prev_h (the wrong hidden state)."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/rnn_step_backward']
MAY_FAIL = ['rnn/rnn_backward']

import numpy as np


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1.0 - next_h ** 2)
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = next_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dWx, dWh, db
