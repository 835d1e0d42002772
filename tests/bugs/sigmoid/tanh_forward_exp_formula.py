"""tanh_forward computes (exp(x) - exp(-x)) / (exp(x) + exp(-x)): inf / inf = NaN for |x| above ~710."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/tanh_forward']
MAY_FAIL = ['backprop/tanh_backward']
DIAGNOSIS = {'backprop/tanh_forward': 'nan_inf'}
TAGS = ['forward']

import numpy as np


def tanh_forward(x):
    out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
    cache = out
    return out, cache
