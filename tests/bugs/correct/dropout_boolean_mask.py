"""inverted dropout that caches a boolean mask and divides by p in both passes (same random draws as documented)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = np.random.default_rng(dropout_param.get("seed"))
    mask = None
    if mode == "train":
        keep = rng.random(x.shape) < p
        out = np.where(keep, x / p, 0.0)
        mask = keep / p
    else:
        out = np.array(x, copy=True)
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return np.where(mask != 0, dout * mask, 0.0)
    return dout.copy()
