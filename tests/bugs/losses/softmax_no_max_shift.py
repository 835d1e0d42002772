"""softmax_loss exponentiates the raw scores without subtracting the row maximum: overflow to inf/NaN for large scores."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/softmax_loss']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)
DIAGNOSIS = {'backprop/softmax_loss': 'nan_inf'}

import numpy as np


def softmax_loss(x, y):
    N = x.shape[0]
    probs = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(N), y]).sum() / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
