"""dropout_forward drops units in training without scaling the kept ones by 1/p (non-inverted dropout)."""
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
        mask = (rng.random(x.shape) < p).astype(x.dtype)
        out = x * mask
    else:
        out = x.copy()
    cache = (dropout_param, mask)
    return out, cache
