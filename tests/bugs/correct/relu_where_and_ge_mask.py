"""ReLU with np.where and a backward mask x >= 0 (differs from x > 0 only at exactly 0, where any subgradient in [0, 1] is valid)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def relu_forward(x):
    out = np.where(x > 0, x, 0.0)
    return out, x


def relu_backward(dout, cache):
    x = cache
    return np.where(x >= 0, dout, 0.0)
