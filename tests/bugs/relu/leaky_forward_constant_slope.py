"""leaky_relu_forward outputs the constant alpha for negative inputs instead of alpha * x."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/leaky_relu_forward']
MAY_FAIL = ['backprop/leaky_relu_backward']
TAGS = ['forward']

import numpy as np


def leaky_relu_forward(x, alpha=0.01):
    out = np.where(x > 0, x, alpha)
    cache = (x, alpha)
    return out, cache
