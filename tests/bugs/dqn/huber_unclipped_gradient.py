"""huber_loss returns dx = x - y everywhere: the squared loss's gradient, not clipped beyond delta."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/huber_loss']

import numpy as np


def huber_loss(x, y, delta=1.0):
    r = x - y
    a = np.abs(r)
    loss = float(np.sum(np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))))
    dx = r
    return loss, dx
