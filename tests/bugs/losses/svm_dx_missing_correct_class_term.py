"""svm_loss's dx counts +1 for each violating class but never subtracts their count at the correct class."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/svm_loss']

import numpy as np


def svm_loss(x, y):
    N = x.shape[0]
    correct = x[np.arange(N), y][:, None]
    margins = np.maximum(0, x - correct + 1.0)
    margins[np.arange(N), y] = 0
    loss = margins.sum() / N
    dx = (margins > 0).astype(x.dtype) / N
    return loss, dx
