"""temporal_affine_backward sums db over the batch only, returning shape (T, M) instead of (M,)."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/temporal_affine_backward']
DIAGNOSIS = {'rnn/temporal_affine_backward': 'missing_batch_sum'}

import numpy as np


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    D, M = w.shape
    dx = dout @ w.T
    dw = x.reshape(-1, D).T @ dout.reshape(-1, M)
    db = dout.sum(axis=0)
    return dx, dw, db
