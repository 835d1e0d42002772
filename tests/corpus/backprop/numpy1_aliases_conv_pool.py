# CORRECT: all
# NOTE: written for numpy-1: np.int, np.float, np.product, np.alltrue, reshape(newshape=...).
import numpy as np


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param['stride'], conv_param['pad']
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = np.int(1 + (H + 2 * pad - HH) / stride)
    W_out = np.int(1 + (W + 2 * pad - WW) / stride)
    assert np.alltrue(np.array([H_out, W_out]) > 0)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), 'constant')
    out = np.zeros((N, F, H_out, W_out), dtype=np.float)
    w_rows = w.reshape(newshape=(F, np.product(w.shape[1:])))
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                patch = xp[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                out[n, :, i, j] = w_rows.dot(patch.reshape(newshape=-1)) + b
    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param['stride'], conv_param['pad']
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), 'constant')
    dxp = np.zeros_like(xp, dtype=np.float)
    dw = np.zeros_like(w)
    db = np.sum(dout, axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    hs, ws = i * stride, j * stride
                    dw[f] += xp[n, :, hs:hs + HH, ws:ws + WW] * dout[n, f, i, j]
                    dxp[n, :, hs:hs + HH, ws:ws + WW] += w[f] * dout[n, f, i, j]
    dx = dxp[:, :, pad:pad + H, pad:pad + W]
    return dx, dw, db


def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param['pool_height'], pool_param['pool_width'], pool_param['stride']
    N, C, H, W = x.shape
    H_out = np.int((H - ph) / s + 1)
    W_out = np.int((W - pw) / s + 1)
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = np.max(x[:, :, i * s:i * s + ph, j * s:j * s + pw], axis=(2, 3))
    return out, (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param['pool_height'], pool_param['pool_width'], pool_param['stride']
    N, C, H_out, W_out = dout.shape
    dx = np.zeros(x.shape, dtype=np.float)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * s:i * s + ph, j * s:j * s + pw]
                    a, bb = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * s + a, j * s + bb] += dout[n, c, i, j]
    return dx
