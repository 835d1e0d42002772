"""sigmoid as 0.5 * (1 + tanh(x / 2)), stable by construction."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def sigmoid_forward(x):
    out = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out, out
