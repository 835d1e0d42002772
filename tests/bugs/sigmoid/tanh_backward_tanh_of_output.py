"""tanh_backward applies tanh again to the cached output: 1 - tanh(out)**2 instead of 1 - out**2."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/tanh_backward']
DIAGNOSIS = {'backprop/tanh_backward': 'used_output_not_input'}

import numpy as np


def tanh_backward(dout, cache):
    out = cache
    dx = dout * (1.0 - np.tanh(out) ** 2)
    return dx
