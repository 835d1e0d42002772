# CORRECT: all
# NOTE: vectorised, caches are dicts with string keys.
import numpy as np


def affine_forward(x, w, b):
    x2 = np.reshape(x, (x.shape[0], -1))
    out = x2 @ w + b
    return out, {"x": x, "w": w, "b": b}


def affine_backward(dout, cache):
    x, w = cache["x"], cache["w"]
    dx = np.reshape(dout @ w.T, x.shape)
    dw = np.reshape(x, (x.shape[0], -1)).T @ dout
    db = np.sum(dout, axis=0)
    return dx, dw, db


def relu_forward(x):
    return np.maximum(x, 0), {"x": x}


def relu_backward(dout, cache):
    return dout * (cache["x"] > 0)


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(x, alpha * x)
    return out, {"x": x, "alpha": alpha}


def leaky_relu_backward(dout, cache):
    x, alpha = cache["x"], cache["alpha"]
    dx = np.ones_like(x)
    dx[x < 0] = alpha
    return dout * dx


def sigmoid_forward(x):
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1 + ex)
    return out, {"out": out}


def sigmoid_backward(dout, cache):
    s = cache["out"]
    return dout * s * (1 - s)


def tanh_forward(x):
    out = np.tanh(x)
    return out, {"out": out}


def tanh_backward(dout, cache):
    return dout * (1 - cache["out"] ** 2)


def softmax_loss(x, y):
    N = x.shape[0]
    z = x - np.max(x, axis=1, keepdims=True)
    p = np.exp(z)
    p /= np.sum(p, axis=1, keepdims=True)
    loss = -np.sum(np.log(p[np.arange(N), y])) / N
    dx = p.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
