"""affine_forward multiplies x without flattening it: fails for x of shape (N, d1, ..., dk)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/affine_forward']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)
TAGS = ['forward']

import numpy as np


def affine_forward(x, w, b):
    out = np.dot(x, w) + b
    cache = (x, w, b)
    return out, cache
