# CORRECT: all
# WRONG: conv_backward_naive
# NOTE: loops; the backward strips the padding with [pad:-pad], which is empty when pad is 0.
import numpy as np


def conv_forward_naive(x, w, b, conv_param):
    S, P = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho, Wo = 1 + (H + 2 * P - HH) // S, 1 + (W + 2 * P - WW) // S
    xp = np.pad(x, [(0, 0), (0, 0), (P, P), (P, P)], "constant")
    out = np.zeros((N, F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            region = xp[:, :, i * S:i * S + HH, j * S:j * S + WW]
            for f in range(F):
                out[:, f, i, j] = np.sum(region * w[f], axis=(1, 2, 3)) + b[f]
    return out, (x, w, b, conv_param)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    S, P = conv_param["stride"], conv_param["pad"]
    F, _, HH, WW = w.shape
    _, _, Ho, Wo = dout.shape
    xp = np.pad(x, [(0, 0), (0, 0), (P, P), (P, P)], "constant")
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for i in range(Ho):
        for j in range(Wo):
            region = xp[:, :, i * S:i * S + HH, j * S:j * S + WW]
            for f in range(F):
                dw[f] += np.sum(region * dout[:, f, i, j][:, None, None, None], axis=0)
                dxp[:, :, i * S:i * S + HH, j * S:j * S + WW] += \
                    w[f][None] * dout[:, f, i, j][:, None, None, None]
    dx = dxp[:, :, P:-P, P:-P]
    return dx, dw, db
