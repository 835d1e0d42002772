# CORRECT: all
# NOTE: Python loops everywhere, CS231n skeleton header (builtins/past imports).
from builtins import range
from past.builtins import xrange
import numpy as np


def affine_forward(x, w, b):
    out = None
    N = x.shape[0]
    D = 1
    for d in x.shape[1:]:
        D *= d
    x_rows = x.reshape(N, D)
    M = w.shape[1]
    out = np.zeros((N, M))
    for i in range(N):
        for j in xrange(M):
            out[i, j] = np.dot(x_rows[i], w[:, j]) + b[j]
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    dx, dw, db = None, None, None
    N = x.shape[0]
    x_rows = x.reshape(N, -1)
    dx = np.zeros_like(x_rows)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for i in range(N):
        dx[i] = w.dot(dout[i])
        dw += np.outer(x_rows[i], dout[i])
        db += dout[i]
    dx = dx.reshape(x.shape)
    return dx, dw, db


def relu_forward(x):
    out = x.copy()
    flat = out.reshape(-1)
    for k in range(flat.size):
        if flat[k] < 0:
            flat[k] = 0
    cache = x
    return out, cache


def relu_backward(dout, cache):
    dx, x = None, cache
    dx = dout.copy()
    dx[x <= 0] = 0
    return dx
