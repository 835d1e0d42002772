"""prelu_backward returns dalpha per example, shape (N, D), without the sum over the batch."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/prelu_backward']
DIAGNOSIS = {'backprop/prelu_backward': 'missing_batch_sum'}

import numpy as np


def prelu_backward(dout, cache):
    x, alpha = cache
    negative = x <= 0
    dx = np.where(negative, alpha * dout, dout)
    dalpha = dout * x * negative
    return dx, dalpha
