"""affine_backward returns db = dout, one row per example, without the sum over the batch."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/affine_backward']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)
DIAGNOSIS = {'backprop/affine_backward': 'missing_batch_sum'}

import numpy as np


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout
    return dx, dw, db
