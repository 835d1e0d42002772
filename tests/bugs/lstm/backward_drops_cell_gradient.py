"""lstm_backward passes zeros as dnext_c at every step: the gradient along the cell state is dropped between timesteps."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/lstm_backward']

import numpy as np


def lstm_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx, dWh, db = np.zeros((D, 4 * H)), np.zeros((H, 4 * H)), np.zeros(4 * H)
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx_t, dprev_h, _, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, t, :] + dprev_h, np.zeros((N, H)), cache[t])
        dx[:, t, :] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dprev_h, dWx, dWh, db
