"""temporal_affine_forward computes x @ w and forgets to add the bias b."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/temporal_affine_forward']
MAY_FAIL = ['rnn/temporal_affine_backward']
TAGS = ['forward']

import numpy as np


def temporal_affine_forward(x, w, b):
    out = x @ w
    cache = (x, w, b, out)
    return out, cache
