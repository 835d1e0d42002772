"""prelu_backward averages dalpha over the batch instead of summing (scaled by 1/N)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/prelu_backward']
DIAGNOSIS = {'backprop/prelu_backward': 'scaled:1/N'}

import numpy as np


def prelu_backward(dout, cache):
    x, alpha = cache
    negative = x <= 0
    dx = np.where(negative, alpha * dout, dout)
    dalpha = (dout * x * negative).reshape(-1, x.shape[-1]).mean(axis=0)
    return dx, dalpha
