# CORRECT: all
# NOTE: im2col with index arrays written as helper functions (col2im by np.add.at), padding
# by allocating zeros and copying x in; pooling backward with the mask window == max (ties
# share the gradient, as many CS231n solutions do); an affine layer through np.matrix.
import numpy as np


def affine_forward(x, w, b):
    xm = np.matrix(x.reshape(x.shape[0], -1))
    out = np.asarray(xm * np.matrix(w)) + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    d = np.matrix(dout)
    dx = np.asarray(d * np.matrix(w).T).reshape(x.shape)
    dw = np.matrix(x.reshape(x.shape[0], -1)).T * d
    db = np.asarray(d.sum(axis=0)).ravel()
    return dx, dw, db


def _indices(C, H, W, fh, fw, stride, pad):
    out_h = (H + 2 * pad - fh) // stride + 1
    out_w = (W + 2 * pad - fw) // stride + 1
    i0 = np.tile(np.repeat(np.arange(fh), fw), C)
    i1 = stride * np.repeat(np.arange(out_h), out_w)
    j0 = np.tile(np.arange(fw), fh * C)
    j1 = stride * np.tile(np.arange(out_w), out_h)
    i = i0.reshape(-1, 1) + i1.reshape(1, -1)
    j = j0.reshape(-1, 1) + j1.reshape(1, -1)
    k = np.repeat(np.arange(C), fh * fw).reshape(-1, 1)
    return k, i, j, out_h, out_w


def _pad(x, pad):
    N, C, H, W = x.shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=x.dtype)
    xp[:, :, pad:pad + H, pad:pad + W] = x
    return xp


def im2col(x, fh, fw, stride, pad):
    C = x.shape[1]
    k, i, j, oh, ow = _indices(C, x.shape[2], x.shape[3], fh, fw, stride, pad)
    cols = _pad(x, pad)[:, k, i, j]  # N, C*fh*fw, oh*ow
    return cols.transpose(1, 2, 0).reshape(fh * fw * C, -1), oh, ow


def col2im(cols, x_shape, fh, fw, stride, pad):
    N, C, H, W = x_shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=cols.dtype)
    k, i, j, _, _ = _indices(C, H, W, fh, fw, stride, pad)
    cols = cols.reshape(C * fh * fw, -1, N).transpose(2, 0, 1)
    np.add.at(xp, (slice(None), k, i, j), cols)
    return xp[:, :, pad:pad + H, pad:pad + W]


def conv_forward_naive(x, w, b, conv_param):
    F, C, fh, fw = w.shape
    s, p = conv_param["stride"], conv_param["pad"]
    cols, oh, ow = im2col(x, fh, fw, s, p)
    res = w.reshape(F, -1) @ cols + b.reshape(-1, 1)
    out = res.reshape(F, oh, ow, x.shape[0]).transpose(3, 0, 1, 2)
    return out, (x, w, b, conv_param, cols)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param, cols = cache
    F, C, fh, fw = w.shape
    db = np.sum(dout, axis=(0, 2, 3))
    d = dout.transpose(1, 2, 3, 0).reshape(F, -1)
    dw = (d @ cols.T).reshape(w.shape)
    dcols = w.reshape(F, -1).T @ d
    dx = col2im(dcols, x.shape, fh, fw, conv_param["stride"], conv_param["pad"])
    return dx, dw, db


def max_pool_forward_naive(x, pool_param):
    HH, WW = pool_param["pool_height"], pool_param["pool_width"]
    S = pool_param["stride"]
    N, C, H, W = x.shape
    H2, W2 = (H - HH) // S + 1, (W - WW) // S + 1
    out = np.zeros((N, C, H2, W2))
    for h in range(H2):
        for w_ in range(W2):
            out[:, :, h, w_] = x[:, :, h * S:h * S + HH, w_ * S:w_ * S + WW].max(axis=(2, 3))
    return out, (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    HH, WW = pool_param["pool_height"], pool_param["pool_width"]
    S = pool_param["stride"]
    N, C, H2, W2 = dout.shape
    dx = np.zeros(x.shape)
    for h in range(H2):
        for w_ in range(W2):
            win = x[:, :, h * S:h * S + HH, w_ * S:w_ * S + WW]
            m = win.max(axis=(2, 3), keepdims=True)
            mask = win == m
            dx[:, :, h * S:h * S + HH, w_ * S:w_ * S + WW] += mask * dout[:, :, h, w_][:, :, None, None]
    return dx
