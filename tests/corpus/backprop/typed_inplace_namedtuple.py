# CORRECT: all
# NOTE: type hints and `from __future__ import annotations`; caches as namedtuples and a small
# class; backwards that overwrite dout in place (dout[x <= 0] = 0; return dout); running
# statistics updated in place with *= and +=; list and 0-d array returns; debug prints.
from __future__ import annotations

from collections import namedtuple
from typing import Any, Tuple

import numpy as np

AffineCache = namedtuple("AffineCache", ["x", "w", "b"])
BNCache = namedtuple("BNCache", "xhat inv_std gamma")

DEBUG = True


class LeakyCache:
    def __init__(self, x: np.ndarray, alpha: float) -> None:
        self.x = x
        self.alpha = alpha

    def __repr__(self) -> str:
        return f"LeakyCache(shape={self.x.shape}, alpha={self.alpha})"


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> Tuple[np.ndarray, Any]:
    N = x.shape[0]
    out = np.dot(x.reshape(N, -1), w) + b
    if DEBUG:
        print("affine_forward:", x.shape, "->", out.shape)
    return out, AffineCache(x, w, b)


def affine_backward(dout: np.ndarray, cache: AffineCache):
    x, w, b = cache
    dx = np.dot(dout, w.T).reshape(x.shape)
    dw = np.dot(x.reshape(x.shape[0], -1).T, dout)
    db = np.sum(dout, axis=0)
    return [dx, dw, db]


def relu_forward(x: np.ndarray):
    out = x.copy()
    out[out < 0] = 0
    return out, x


def relu_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    x = cache
    dout[x <= 0] = 0
    return dout


def leaky_relu_forward(x: np.ndarray, alpha: float = 0.01):
    out = x.copy()
    out[x <= 0] *= alpha
    return out, LeakyCache(x, alpha)


def leaky_relu_backward(dout: np.ndarray, cache: LeakyCache) -> np.ndarray:
    dout[cache.x <= 0] *= cache.alpha
    return dout


def prelu_forward(x: np.ndarray, alpha: np.ndarray):
    out = np.where(x > 0, x, x * alpha)
    return out, (alpha, x)


def prelu_backward(dout, cache):
    alpha, x = cache
    neg = (x <= 0).astype(dout.dtype)
    dalpha = np.sum(dout * x * neg, axis=tuple(range(x.ndim - 1)))
    dout *= 1 - neg + neg * alpha
    return dout, dalpha


def sigmoid_forward(x: np.ndarray):
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1 + ex)
    if DEBUG:
        print("sigmoid range", out.min(), out.max())
    return out, out


def sigmoid_backward(dout, cache):
    s = cache
    dout *= s * (1 - s)
    return dout


def tanh_forward(x):
    t = np.tanh(x)
    return t, t


def tanh_backward(dout, cache):
    return dout * (1 - cache * cache)


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, bn_param: dict):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    if "running_mean" not in bn_param:
        bn_param["running_mean"] = np.zeros(D, dtype=x.dtype)
        bn_param["running_var"] = np.zeros(D, dtype=x.dtype)
    running_mean = bn_param["running_mean"]
    running_var = bn_param["running_var"]
    if mode == "train":
        mean = x.mean(axis=0)
        var = ((x - mean) ** 2).mean(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        xhat = (x - mean) * inv_std
        out = gamma * xhat + beta
        running_mean *= momentum
        running_mean += (1 - momentum) * mean
        running_var *= momentum
        running_var += (1 - momentum) * var
        cache = BNCache(xhat, inv_std, gamma)
    elif mode == "test":
        out = (x - running_mean) / np.sqrt(running_var + eps) * gamma + beta
        cache = None
    else:
        raise ValueError("bad mode %s" % mode)
    return out, cache


def batchnorm_backward(dout: np.ndarray, cache: BNCache):
    # the simplified formula here too: it is the same gradient
    xhat, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = inv_std / N * (N * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    xhat, inv_std, gamma = cache
    N = dout.shape[0]
    dgamma = np.einsum("nd,nd->d", dout, xhat)
    dbeta = np.einsum("nd->d", dout)
    dx = (gamma * inv_std / N) * (N * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mu = np.mean(x, axis=1)[:, None]
    var = np.var(x, axis=1)[:, None]
    inv_std = (var + eps) ** -0.5
    xhat = (x - mu) * inv_std
    return xhat * gamma + beta, [xhat, inv_std, gamma]


def layernorm_backward(dout, cache):
    xhat, inv_std, gamma = cache
    D = xhat.shape[1]
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    g = dout * gamma
    dx = inv_std * (g - g.mean(axis=1, keepdims=True)
                    - xhat * (g * xhat).mean(axis=1, keepdims=True))
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param and dropout_param["seed"] is not None:
        rs = np.random.RandomState(dropout_param["seed"])
    else:
        rs = np.random
    mask = None
    if mode == "train":
        mask = (rs.rand(*x.shape) < p) / p
        out = x * mask
    else:
        out = x
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        dout *= mask
    return dout


def softmax_loss(x, y):
    N = x.shape[0]
    z = x - np.max(x, axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    loss = np.array(-np.mean(np.log(p[np.arange(N), y])))
    p[np.arange(N), y] -= 1
    return loss, p / N


def svm_loss(x, y):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for i in range(N):
        for j in range(C):
            if j == y[i]:
                continue
            m = x[i, j] - x[i, y[i]] + 1
            if m > 0:
                loss += m
                dx[i, j] += 1
                dx[i, y[i]] -= 1
    return loss / N, dx / N


def mse_loss(x, y):
    d = x - y
    return [0.5 * np.sum(d * d), d]


def huber_loss(x, y, delta=1.0):
    r = x - y
    small = np.abs(r) <= delta
    loss = np.sum(0.5 * r[small] ** 2) + np.sum(delta * (np.abs(r[~small]) - 0.5 * delta))
    dx = r.copy()
    dx[~small] = delta * np.sign(r[~small])
    return loss, dx


def clip_forward(x, lo=-1.0, hi=1.0):
    return np.minimum(np.maximum(x, lo), hi), (x, lo, hi)


def clip_backward(dout, cache):
    x, lo, hi = cache
    dout[(x < lo) | (x > hi)] = 0.0
    return dout


def gather_forward(x, idx):
    flat_idx = idx.reshape(idx.shape[0], -1)
    out = np.take_along_axis(x, flat_idx, axis=1).reshape(idx.shape)
    return out, {"shape": x.shape, "idx": idx}


def gather_backward(dout, cache):
    N, A = cache["shape"]
    idx = cache["idx"].reshape(N, -1)
    dx = np.zeros((N, A))
    rows = np.repeat(np.arange(N), idx.shape[1])
    np.add.at(dx, (rows, idx.ravel()), dout.ravel())
    return dx


def _windows(xp, HH, WW, stride):
    """(N, C, Ho, Wo, HH, WW) view of the receptive fields of a padded input."""
    N, C, Hp, Wp = xp.shape
    Ho = (Hp - HH) // stride + 1
    Wo = (Wp - WW) // stride + 1
    sN, sC, sH, sW = xp.strides
    return np.lib.stride_tricks.as_strided(
        xp, shape=(N, C, Ho, Wo, HH, WW),
        strides=(sN, sC, sH * stride, sW * stride, sH, sW), writeable=False)


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], mode="constant", constant_values=0)
    cols = _windows(xp, w.shape[2], w.shape[3], stride)
    out = np.tensordot(cols, w, axes=([1, 4, 5], [1, 2, 3]))  # N, Ho, Wo, F
    out = out.transpose(0, 3, 1, 2) + b.reshape(1, -1, 1, 1)
    return out, (x, w, b, conv_param)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    F, C, HH, WW = w.shape
    N, _, H, W = x.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], mode="constant")
    cols = _windows(xp, HH, WW, stride)
    db = dout.sum(axis=(0, 2, 3))
    dw = np.tensordot(dout, cols, axes=([0, 2, 3], [0, 2, 3]))
    dxp = np.zeros_like(xp)
    Ho, Wo = dout.shape[2], dout.shape[3]
    for i in range(Ho):
        for j in range(Wo):
            dxp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += np.einsum(
                "nf,fcab->ncab", dout[:, :, i, j], w)
    dx = dxp[:, :, pad:pad + H, pad:pad + W]
    return dx, dw, db


def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    Ho, Wo = 1 + (H - ph) // s, 1 + (W - pw) // s
    out = np.empty((N, C, Ho, Wo))
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    out[n, c, i, j] = np.max(x[n, c, i * s:i * s + ph, j * s:j * s + pw])
    return out, (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, Ho, Wo = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    win = x[n, c, i * s:i * s + ph, j * s:j * s + pw]
                    a, bb = np.unravel_index(np.argmax(win), win.shape)
                    dx[n, c, i * s + a, j * s + bb] += dout[n, c, i, j]
    return dx
