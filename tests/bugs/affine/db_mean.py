"""affine_backward averages db over the batch instead of summing (scaled by 1/N)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/affine_backward']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)
DIAGNOSIS = {'backprop/affine_backward': 'scaled:1/N'}

import numpy as np


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.mean(axis=0)
    return dx, dw, db
