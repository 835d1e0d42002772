"""mse_loss averages the squared error over the entries although C = 1/2 * sum((y - x)**2) is a sum."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/mse_loss']

import numpy as np


def mse_loss(x, y):
    diff = x - y
    loss = 0.5 * float(np.mean(diff ** 2))
    dx = diff / diff.size
    return loss, dx
