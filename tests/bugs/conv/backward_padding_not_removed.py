"""conv_backward_naive returns the gradient of the padded input, shape (N, C, H + 2 pad, W + 2 pad)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/conv_backward_naive']
DIAGNOSIS = {'backprop/conv_backward_naive': 'shape_mismatch'}

import numpy as np


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    H, W = x.shape[2:]
    HH, WW = w.shape[2:]
    H_out, W_out = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * stride, j * stride
            window = xp[:, :, hs:hs + HH, ws:ws + WW]
            g = dout[:, :, i, j]
            dw += np.tensordot(g, window, axes=([0], [0]))
            dxp[:, :, hs:hs + HH, ws:ws + WW] += np.tensordot(g, w, axes=([1], [0]))
    dx = dxp

    return dx, dw, db
