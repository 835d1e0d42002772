# CORRECT: all
# WRONG: dropout_backward
# NOTE: vectorised dropout with a boolean mask kept in the cache; the backward divides by p
# twice.
import numpy as np


def dropout_forward(x, dropout_param):
    p = dropout_param["p"]
    mode = dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    if mode == "train":
        keep = np.random.rand(*x.shape) < p
        out = x * keep / p
        cache = (dropout_param, keep)
    else:
        out = x.copy()
        cache = (dropout_param, None)
    return out, cache


def dropout_backward(dout, cache):
    dropout_param, keep = cache
    if dropout_param["mode"] == "train":
        return dout * keep / dropout_param["p"] / dropout_param["p"]
    return dout
