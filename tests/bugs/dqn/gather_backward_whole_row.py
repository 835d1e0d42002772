"""gather_backward broadcasts each row's gradient to every action of the row, not only the taken ones."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/gather_backward']
DIAGNOSIS = {'backprop/gather_backward': 'mask_wrong_region'}

import numpy as np


def gather_backward(dout, cache):
    x_shape, idx = cache
    per_row = dout.reshape(x_shape[0], -1).sum(axis=1)
    dx = np.repeat(per_row[:, None], x_shape[1], axis=1)
    return dx
