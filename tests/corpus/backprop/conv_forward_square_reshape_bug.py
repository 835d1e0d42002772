# CORRECT: all
# WRONG: conv_forward_naive
# NOTE: vectorised conv (im2col written by hand); the forward reshapes to (N, F, out_h, out_h),
# which only square outputs survive. The backward is right.
import numpy as np


def _cols(xp, HH, WW, stride, H_out, W_out):
    N, C = xp.shape[:2]
    cols = np.zeros((N, C * HH * WW, H_out * W_out))
    for i in range(H_out):
        for j in range(W_out):
            patch = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            cols[:, :, i * W_out + j] = patch.reshape(N, -1)
    return cols


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    out_h = (H + 2 * pad - HH) // stride + 1
    out_w = (W + 2 * pad - WW) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = _cols(xp, HH, WW, stride, out_h, out_w)
    res = np.einsum("fk,nkp->nfp", w.reshape(F, -1), cols) + b[None, :, None]
    out = res[:, :, :out_h * out_h].reshape(N, F, out_h, out_h)
    return out, (x, w, b, conv_param)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    out_h = (H + 2 * pad - HH) // stride + 1
    out_w = (W + 2 * pad - WW) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = _cols(xp, HH, WW, stride, out_h, out_w)
    d = dout.reshape(N, F, out_h * out_w)
    db = d.sum(axis=(0, 2))
    dw = np.einsum("nfp,nkp->fk", d, cols).reshape(w.shape)
    dcols = np.einsum("fk,nfp->nkp", w.reshape(F, -1), d)
    dxp = np.zeros_like(xp)
    for i in range(out_h):
        for j in range(out_w):
            dxp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += \
                dcols[:, :, i * out_w + j].reshape(N, C, HH, WW)
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, db
