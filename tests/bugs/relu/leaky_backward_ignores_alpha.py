"""leaky_relu_backward copies relu_backward: zero gradient for negative inputs instead of alpha * dout."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/leaky_relu_backward']
DIAGNOSIS = {'backprop/leaky_relu_backward': 'mask_wrong_region'}

import numpy as np


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    dx = dout * (x > 0)
    return dx
