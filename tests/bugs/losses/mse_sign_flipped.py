"""mse_loss returns dx = y - x, the gradient with the wrong sign."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/mse_loss']
DIAGNOSIS = {'backprop/mse_loss': 'sign_flipped'}

import numpy as np


def mse_loss(x, y):
    diff = x - y
    loss = 0.5 * float(np.sum(diff ** 2))
    dx = y - x
    return loss, dx
