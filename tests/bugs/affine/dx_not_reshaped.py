"""affine_backward returns dx flattened to (N, D) instead of x's shape (N, d1, ..., dk)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/affine_backward']
DIAGNOSIS = {'backprop/affine_backward': 'reshape_needed'}

import numpy as np


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout @ w.T
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
