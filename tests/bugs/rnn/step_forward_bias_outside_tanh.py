"""rnn_step_forward adds the bias after the tanh: tanh(x @ Wx + prev_h @ Wh) + b."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/rnn_step_forward']
MAY_FAIL = ['rnn/rnn_step_backward', 'rnn/rnn_forward', 'rnn/rnn_backward']
TAGS = ['forward']

import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh) + b
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache
