"""CS231n's own inverted dropout: np.random.seed + np.random.rand, a float mask holding 1/p.

Its masks differ from the reference's (another random stream), so only the structure of the
output and the consistency of the backward may be judged: a correct answer all the same."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    out = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask
    elif mode == "test":
        out = x
    cache = (dropout_param, mask)
    out = out.astype(x.dtype, copy=False)
    return out, cache


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    mode = dropout_param["mode"]
    dx = None
    if mode == "train":
        dx = dout * mask
    elif mode == "test":
        dx = dout
    return dx
