"""clip_backward passes dout everywhere, as if clipping had gradient 1 outside [lo, hi] (the DQN bug's opposite reading)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/clip_backward']
DIAGNOSIS = {'backprop/clip_backward': 'mask_wrong_region'}

import numpy as np


def clip_backward(dout, cache):
    x, lo, hi = cache
    dx = dout.copy()
    return dx
