"""relu_backward masks with relu(x) >= 0, which is always true: the gradient passes everywhere."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/relu_backward']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)
DIAGNOSIS = {'backprop/relu_backward': 'mask_wrong_region'}

import numpy as np


def relu_backward(dout, cache):
    x = cache
    out = np.maximum(0, x)
    dx = dout * (out >= 0)
    return dx
