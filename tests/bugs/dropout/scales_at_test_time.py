"""dropout_forward multiplies by p at test time, as non-inverted dropout would (inverted dropout passes x unchanged)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/dropout_forward']
TAGS = ['test_mode', 'forward']

import numpy as np


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = np.random.default_rng(dropout_param.get("seed"))
    mask = None
    if mode == "train":
        mask = (rng.random(x.shape) < p) / p
        out = x * mask
    else:
        out = x * p
    cache = (dropout_param, mask)
    return out, cache
