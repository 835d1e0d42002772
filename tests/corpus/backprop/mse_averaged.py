# CORRECT: all
# WRONG: mse_loss
# NOTE: vectorised losses; mse_loss averages over the entries where the assignment sums.
import numpy as np


def mse_loss(x, y):
    diff = x - y
    loss = 0.5 * np.mean(diff ** 2)
    dx = diff / diff.size
    return loss, dx


def huber_loss(x, y, delta=1.0):
    r = x - y
    quad = np.minimum(np.abs(r), delta)
    lin = np.abs(r) - quad
    loss = np.sum(0.5 * quad ** 2 + delta * lin)
    return loss, np.clip(r, -delta, delta)
