# CORRECT: all
# WRONG: conv_forward_naive max_pool_forward_naive
# NOTE: loops; the forwards refuse non-square kernels and windows (assert), so the backward
# can only be judged where a cache exists: it is right there and keeps its points.
import numpy as np


def conv_forward_naive(x, w, b, conv_param):
    N, C, H, W = x.shape
    F, _, K, K2 = w.shape
    assert K == K2, "only square filters are supported"
    s, p = conv_param["stride"], conv_param["pad"]
    Ho, Wo = (H + 2 * p - K) // s + 1, (W + 2 * p - K) // s + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                win = xp[n, :, i * s:i * s + K, j * s:j * s + K]
                out[n, :, i, j] = np.tensordot(w, win, axes=3) + b
    return out, (x, w, b, conv_param)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    s, p = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    Ho, Wo = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                win = xp[n, :, i * s:i * s + KH, j * s:j * s + KW]
                dw += dout[n, :, i, j][:, None, None, None] * win[None]
                dxp[n, :, i * s:i * s + KH, j * s:j * s + KW] += np.tensordot(dout[n, :, i, j], w, axes=1)
    db = dout.sum(axis=(0, 2, 3))
    return dxp[:, :, p:p + H, p:p + W], dw, db


def max_pool_forward_naive(x, pool_param):
    size, s = pool_param["pool_height"], pool_param["stride"]
    if pool_param["pool_width"] != size:
        raise ValueError("square pooling windows only")
    N, C, H, W = x.shape
    Ho, Wo = (H - size) // s + 1, (W - size) // s + 1
    out = np.empty((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = x[:, :, i * s:i * s + size, j * s:j * s + size].max(axis=(2, 3))
    return out, (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    N, C, Ho, Wo = dout.shape
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * s:i * s + ph, j * s:j * s + pw]
            m = win.reshape(N, C, -1).max(axis=2)[:, :, None, None]
            dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += (win == m) * dout[:, :, i, j][:, :, None, None]
    return dx
