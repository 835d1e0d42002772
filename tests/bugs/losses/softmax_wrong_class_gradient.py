"""softmax_loss subtracts 1 from the probability of class 0 instead of the correct class y[i]."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/softmax_loss']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)

import numpy as np


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].sum() / N
    dx = np.exp(log_probs)
    dx[:, 0] -= 1
    dx /= N
    return loss, dx
