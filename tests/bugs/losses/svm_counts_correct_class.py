"""svm_loss does not zero the margin of the correct class, adding 1 per example to the loss and to its gradient count."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/svm_loss']

import numpy as np


def svm_loss(x, y):
    N = x.shape[0]
    correct = x[np.arange(N), y][:, None]
    margins = np.maximum(0, x - correct + 1.0)
    loss = margins.sum() / N
    dx = (margins > 0).astype(x.dtype)
    dx[np.arange(N), y] -= dx.sum(axis=1)
    dx /= N
    return loss, dx
