"""dropout_forward zeroes the negative units (a ReLU, no random mask) and dropout_backward routes dout through that sign mask: agreeing with a forward that draws no mask earns nothing."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/dropout_forward', 'backprop/dropout_backward']
TAGS = ['forward']

import numpy as np


def dropout_forward(x, dropout_param):
    mask = (x > 0).astype(x.dtype)
    out = x * mask if dropout_param["mode"] == "train" else x.copy()
    cache = (dropout_param, mask)
    return out, cache


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    return dout * mask if dropout_param["mode"] == "train" else dout.copy()
