# CORRECT: all
# WRONG: gather_backward
# NOTE: vectorised gather whose backward assigns with fancy indexing, so repeated indices
# keep only one of their gradients.
import numpy as np


def gather_forward(x, idx):
    rows = np.arange(x.shape[0]).reshape((-1,) + (1,) * (idx.ndim - 1))
    return x[rows, idx], (x, idx)


def gather_backward(dout, cache):
    x, idx = cache
    dx = np.zeros_like(x)
    rows = np.arange(x.shape[0]).reshape((-1,) + (1,) * (idx.ndim - 1))
    dx[rows, idx] += dout
    return dx
