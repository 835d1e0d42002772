"""dropout_backward passes dout through unchanged in train mode, ignoring the mask."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/dropout_backward']

import numpy as np


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    dx = dout.copy()
    return dx
