"""sigmoid_forward computes exp(x) / (1 + exp(x)): inf / inf = NaN for x above ~710."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/sigmoid_forward']
MAY_FAIL = ['backprop/sigmoid_backward']
DIAGNOSIS = {'backprop/sigmoid_forward': 'nan_inf'}
TAGS = ['forward']

import numpy as np


def sigmoid_forward(x):
    e = np.exp(x)
    out = e / (1.0 + e)
    cache = out
    return out, cache
