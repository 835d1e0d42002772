"""softmax loss through an explicit log-sum-exp, SVM loss with loops over the classes, Huber and clip backward through boolean masks, gather backward with loops."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def softmax_loss(x, y):
    N = x.shape[0]
    m = x.max(axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(x - m), axis=1, keepdims=True))
    probs = np.exp(x - lse)
    loss = float(np.mean(lse[:, 0] - x[np.arange(N), y]))
    onehot = np.zeros_like(x)
    onehot[np.arange(N), y] = 1.0
    return loss, (probs - onehot) / N


def svm_loss(x, y):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for i in range(N):
        for j in range(C):
            if j == y[i]:
                continue
            margin = x[i, j] - x[i, y[i]] + 1.0
            if margin > 0:
                loss += margin
                dx[i, j] += 1.0
                dx[i, y[i]] -= 1.0
    return loss / N, dx / N


def huber_loss(x, y, delta=1.0):
    r = x - y
    small = np.abs(r) <= delta
    loss = float(np.sum(0.5 * r[small] ** 2) + np.sum(delta * (np.abs(r[~small]) - 0.5 * delta)))
    dx = np.where(small, r, delta * np.sign(r))
    return loss, dx


def clip_backward(dout, cache):
    x, lo, hi = cache
    dx = dout.copy()
    dx[(x < lo) | (x > hi)] = 0.0
    return dx


def gather_backward(dout, cache):
    x_shape, idx = cache
    dx = np.zeros(x_shape)
    idx2 = idx.reshape(x_shape[0], -1)
    d2 = dout.reshape(x_shape[0], -1)
    for i in range(idx2.shape[0]):
        for k in range(idx2.shape[1]):
            dx[i, idx2[i, k]] += d2[i, k]
    return dx
