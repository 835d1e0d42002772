"""clip_backward masks where the upstream gradient is inside [lo, hi] instead of where x is."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/clip_backward']
DIAGNOSIS = {'backprop/clip_backward': 'mask_wrong_array'}

import numpy as np


def clip_backward(dout, cache):
    x, lo, hi = cache
    dx = dout * ((dout >= lo) & (dout <= hi))
    return dx
