"""relu_backward masks on the sign of dout instead of the sign of the forward input x."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/relu_backward']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)
DIAGNOSIS = {'backprop/relu_backward': 'mask_wrong_array'}

import numpy as np


def relu_backward(dout, cache):
    x = cache
    dx = dout * (dout > 0)
    return dx
