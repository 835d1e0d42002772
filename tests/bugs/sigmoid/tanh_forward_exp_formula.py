"""tanh_forward computes (exp(x) - exp(-x)) / (exp(x) + exp(-x)): inf / inf = NaN for |x| above ~710."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/tanh_forward']
MAY_FAIL = ['backprop/tanh_backward']
DIAGNOSIS = {'backprop/tanh_forward': 'nan_inf'}
TAGS = ['forward']
KNOWN_GAP = ('no tanh_forward case reaches |x| > 710 where exp overflows; '
             'grader.checks.behaviour_sigmoid.tanh_forward_extremes is ready to be wired')

import numpy as np


def tanh_forward(x):
    out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
    cache = out
    return out, cache
