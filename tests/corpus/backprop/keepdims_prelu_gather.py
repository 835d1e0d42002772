# WRONG: prelu_backward
# NOTE: keepdims: dalpha comes out (1, D); gather by fancy indexing and np.add.at. prelu_backward
# is wrong: summing over axis 0 only gives dalpha the wrong shape for the (N, ..., D)
# inputs the docstring promises.
import numpy as np


def prelu_forward(x, alpha):
    out = np.where(x > 0, x, alpha * x)
    return out, (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = cache
    dx = np.where(x > 0, dout, alpha * dout)
    dalpha = np.sum(np.where(x > 0, 0.0, dout * x), axis=0, keepdims=True)
    return dx, dalpha


def gather_forward(x, idx):
    N = x.shape[0]
    if idx.ndim == 1:
        out = x[np.arange(N), idx]
    else:
        out = x[np.arange(N)[:, None], idx]
    return out, (x.shape, idx)


def gather_backward(dout, cache):
    shape, idx = cache
    dx = np.zeros(shape)
    N = shape[0]
    rows = np.arange(N) if idx.ndim == 1 else np.repeat(np.arange(N)[:, None], idx.shape[1], 1)
    np.add.at(dx, (rows, idx), dout)
    return dx
