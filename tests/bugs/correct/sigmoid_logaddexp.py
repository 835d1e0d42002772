"""sigmoid through logaddexp (stable) and a backward that recomputes nothing but s * (1 - s) from the cache; tanh through exp of -2|x|."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def sigmoid_forward(x):
    out = np.exp(-np.logaddexp(0.0, -x))
    return out, out


def sigmoid_backward(dout, cache):
    s = cache
    return dout * s - dout * s * s


def tanh_forward(x):
    e = np.exp(-2.0 * np.abs(x))
    out = np.sign(x) * (1.0 - e) / (1.0 + e)
    return out, out
