"""Vectorised convolution: sliding windows and einsum in the forward, dw and db by einsum, dx by a loop over the kernel offsets only."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _windows(x, HH, WW, stride, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    return xp, sliding_window_view(xp, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    _, windows = _windows(x, w.shape[2], w.shape[3], stride, pad)
    out = np.einsum("nchwij,fcij->nfhw", windows, w) + b[None, :, None, None]
    return out, (x, w, b, conv_param)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    F, C, HH, WW = w.shape
    H, W = x.shape[2:]
    H_out, W_out = dout.shape[2:]
    xp, windows = _windows(x, HH, WW, stride, pad)
    dw = np.einsum("nfhw,nchwij->fcij", dout, windows)
    db = dout.sum(axis=(0, 2, 3))
    dxp = np.zeros_like(xp)
    for i in range(HH):
        for j in range(WW):
            dxp[:, :, i:i + stride * H_out:stride, j:j + stride * W_out:stride] += np.einsum(
                "nfhw,fc->nchw", dout, w[:, :, i, j])
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, db
