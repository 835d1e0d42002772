# CORRECT: all
# NOTE: vectorised conv (einsum over windows) and pooling (reshape when windows tile the
# input, loops otherwise).
import numpy as np


def conv_forward_naive(x, w, b, conv_param):
    s, p = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho, Wo = (H + 2 * p - HH) // s + 1, (W + 2 * p - WW) // s + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    win = np.empty((N, C, HH, WW, Ho, Wo))
    for a in range(HH):
        for c in range(WW):
            win[:, :, a, c] = xp[:, :, a:a + s * Ho:s, c:c + s * Wo:s]
    out = np.einsum("ncabij,fcab->nfij", win, w) + b[None, :, None, None]
    return out, (x, w, b, conv_param, win)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param, win = cache
    s, p = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho, Wo = dout.shape[2:]
    db = dout.sum(axis=(0, 2, 3))
    dw = np.einsum("nfij,ncabij->fcab", dout, win)
    dwin = np.einsum("nfij,fcab->ncabij", dout, w)
    dxp = np.zeros((N, C, H + 2 * p, W + 2 * p))
    for a in range(HH):
        for c in range(WW):
            dxp[:, :, a:a + s * Ho:s, c:c + s * Wo:s] += dwin[:, :, a, c]
    return dxp[:, :, p:p + H, p:p + W], dw, db


def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    Ho, Wo = (H - ph) // s + 1, (W - pw) // s + 1
    if ph == pw == s and H % ph == 0 and W % pw == 0:
        out = x.reshape(N, C, Ho, ph, Wo, pw).max(axis=(3, 5))
    else:
        out = np.zeros((N, C, Ho, Wo))
        for i in range(Ho):
            for j in range(Wo):
                out[:, :, i, j] = x[:, :, i * s:i * s + ph, j * s:j * s + pw].max(axis=(2, 3))
    return out, (x, pool_param, out)


def max_pool_backward_naive(dout, cache):
    x, pool_param, out = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    Ho, Wo = dout.shape[2:]
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * s:i * s + ph, j * s:j * s + pw]
            hit = win == out[:, :, i, j][:, :, None, None]
            dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += hit * dout[:, :, i, j][:, :, None, None]
    return dx
