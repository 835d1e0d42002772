"""affine forward and backward with explicit Python loops over the examples."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def affine_forward(x, w, b):
    N = x.shape[0]
    out = np.zeros((N, w.shape[1]))
    for n in range(N):
        out[n] = x[n].ravel() @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    N = x.shape[0]
    dx = np.zeros(x.shape)
    dw = np.zeros(w.shape)
    db = np.zeros(b.shape)
    for n in range(N):
        row = x[n].ravel()
        dx[n] = (w @ dout[n]).reshape(x.shape[1:])
        dw += np.outer(row, dout[n])
        db += dout[n]
    return dx, dw, db
