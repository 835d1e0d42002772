"""dropout_forward drops (and rescales) units in test mode too, so predictions are random at test time."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/dropout_forward']
TAGS = ['test_mode', 'forward']

import numpy as np


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = np.random.default_rng(dropout_param.get("seed"))
    mask = (rng.random(x.shape) < p) / p
    out = x * mask
    if mode == "test":
        mask = None
    cache = (dropout_param, mask)
    return out, cache
