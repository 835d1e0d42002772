"""ReLU that caches its output and masks the backward with out > 0 (the same mask away from 0), and a leaky ReLU written as max(alpha * x, x) (valid for alpha < 1)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def relu_forward(x):
    out = np.maximum(x, 0.0)
    return out, out


def relu_backward(dout, cache):
    out = cache
    return dout * (out > 0)


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(alpha * x, x)
    return out, (x, alpha)
