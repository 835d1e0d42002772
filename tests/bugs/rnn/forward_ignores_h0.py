"""rnn_forward starts from zeros instead of the given initial hidden state h0."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/rnn_forward']
MAY_FAIL = ['rnn/rnn_backward']
TAGS = ['forward']

import numpy as np


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    prev_h = np.zeros_like(h0)
    step_caches = []
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        step_caches.append(step_cache)
    return h, step_caches
