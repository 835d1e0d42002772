"""dropout_forward treats p as the probability of DROPPING a unit (keeps 1 - p), against the documented keep probability."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/dropout_forward']
TAGS = ['forward']

import numpy as np


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = np.random.default_rng(dropout_param.get("seed"))
    mask = None
    if mode == "train":
        mask = (rng.random(x.shape) >= p) / (1 - p)
        out = x * mask
    else:
        out = x.copy()
    cache = (dropout_param, mask)
    return out, cache
