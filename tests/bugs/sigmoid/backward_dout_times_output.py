"""sigmoid_backward returns dout * s, the output, where the derivative s * (1 - s) was needed."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/sigmoid_backward']
DIAGNOSIS = {'backprop/sigmoid_backward': 'used_output_not_input'}

import numpy as np


def sigmoid_backward(dout, cache):
    out = cache
    dx = dout * out
    return dx
