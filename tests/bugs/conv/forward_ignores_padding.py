"""conv_forward_naive never pads x: wrong (and smaller) output whenever pad > 0."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/conv_forward_naive']
MAY_FAIL = ['backprop/conv_backward_naive']
DIAGNOSIS = {'backprop/conv_forward_naive': 'shape_mismatch'}
TAGS = ['forward']

import numpy as np


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H - HH) // stride
    W_out = 1 + (W - WW) // stride
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    cache = (x, w, b, conv_param)
    return out, cache
