# CORRECT: all
# NOTE: four nested Python loops for convolution and pooling, as the naive versions are meant.
import numpy as np


def conv_forward_naive(x, w, b, conv_param):
    out = None
    N, C, H, W = x.shape
    F, C, HH, WW = w.shape
    stride = conv_param["stride"]
    pad = conv_param["pad"]
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0,), (0,), (pad,), (pad,)), mode="constant", constant_values=0)
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    h0 = i * stride
                    w0 = j * stride
                    out[n, f, i, j] = np.sum(x_pad[n, :, h0:h0 + HH, w0:w0 + WW] * w[f]) + b[f]
    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    x_pad = np.pad(x, ((0,), (0,), (pad,), (pad,)), mode="constant", constant_values=0)
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for n in range(N):
        for f in range(F):
            db[f] += np.sum(dout[n, f])
            for i in range(H_out):
                for j in range(W_out):
                    h0, w0 = i * stride, j * stride
                    dw[f] += x_pad[n, :, h0:h0 + HH, w0:w0 + WW] * dout[n, f, i, j]
                    dx_pad[n, :, h0:h0 + HH, w0:w0 + WW] += w[f] * dout[n, f, i, j]
    dx = dx_pad[:, :, pad:pad + H, pad:pad + W]
    return dx, dw, db


def max_pool_forward_naive(x, pool_param):
    N, C, H, W = x.shape
    HH, WW = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    H_out = 1 + (H - HH) // stride
    W_out = 1 + (W - WW) // stride
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, c, i, j] = np.max(x[n, c, i * stride:i * stride + HH,
                                               j * stride:j * stride + WW])
    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    N, C, H, W = x.shape
    HH, WW = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    _, _, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    mask = window == np.max(window)
                    dx[n, c, i * stride:i * stride + HH, j * stride:j * stride + WW] += \
                        mask * dout[n, c, i, j]
    return dx
