"""affine_backward computes dw as dout.T @ x, the transpose of the right (D, M) gradient."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/affine_backward']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)
DIAGNOSIS = {'backprop/affine_backward': 'transposed'}

import numpy as np


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = dout.T @ x.reshape(x.shape[0], -1)
    db = dout.sum(axis=0)
    return dx, dw, db
