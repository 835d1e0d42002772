"""softmax_loss averages the loss over the batch but not its gradient (dx scaled by N)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/softmax_loss']
MAY_FAIL = ['backprop/network_learns']  # the network of the student's own layers (issue 10)
DIAGNOSIS = {'backprop/softmax_loss': 'scaled:N'}

import numpy as np


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].sum() / N
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    return loss, dx
