# CORRECT: all
# NOTE: gather with Python loops, accumulating repeated indices by hand.
import numpy as np


def gather_forward(x, idx):
    N = x.shape[0]
    if idx.ndim == 1:
        out = np.array([x[i, idx[i]] for i in range(N)])
    else:
        out = np.zeros(idx.shape)
        for i in range(N):
            for k in range(idx.shape[1]):
                out[i, k] = x[i, idx[i, k]]
    return out, (x, idx)


def gather_backward(dout, cache):
    x, idx = cache
    dx = np.zeros_like(x)
    if idx.ndim == 1:
        for i in range(len(idx)):
            dx[i, idx[i]] += dout[i]
    else:
        for i in range(idx.shape[0]):
            for k in range(idx.shape[1]):
                dx[i, idx[i, k]] += dout[i, k]
    return dx
