"""huber_loss is written as 1/2 * clip(r, -1, 1)**2, the DQN bug: zero gradient where |r| > delta."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/huber_loss']
DIAGNOSIS = {'backprop/huber_loss': 'mask_wrong_region'}

import numpy as np


def huber_loss(x, y, delta=1.0):
    r = np.clip(x - y, -delta, delta)
    loss = float(np.sum(0.5 * r ** 2))
    dx = r * (np.abs(x - y) <= delta)
    return loss, dx
