"""temporal_softmax_loss masks the loss but not its gradient: masked-out timesteps still get gradient."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/temporal_softmax_loss']
DIAGNOSIS = {'rnn/temporal_softmax_loss': 'mask_wrong_region'}

import numpy as np


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    x_flat, y_flat, mask_flat = x.reshape(N * T, V), y.reshape(N * T), mask.reshape(N * T)
    shifted = x_flat - x_flat.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N * T)
    loss = -np.sum(mask_flat * log_probs[rows, y_flat]) / N
    dx_flat = np.exp(log_probs)
    dx_flat[rows, y_flat] -= 1
    dx_flat /= N
    dx = dx_flat.reshape(N, T, V)
    return loss, dx
