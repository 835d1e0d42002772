"""sigmoid_backward multiplies by (1 - s) only, forgetting the factor s."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/sigmoid_backward']

import numpy as np


def sigmoid_backward(dout, cache):
    out = cache
    dx = dout * (1.0 - out)
    return dx
