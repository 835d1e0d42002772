"""gather_backward assigns dout with fancy indexing (dx[rows, idx] = dout), so repeated indices overwrite instead of accumulating."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/gather_backward']
DIAGNOSIS = {'backprop/gather_backward': 'overwrite_not_accumulate'}

import numpy as np


def gather_backward(dout, cache):
    x_shape, idx = cache
    dx = np.zeros(x_shape, dtype=dout.dtype)
    rows = np.arange(x_shape[0]).reshape((-1,) + (1,) * (idx.ndim - 1))
    dx[rows, idx] = dout
    return dx
