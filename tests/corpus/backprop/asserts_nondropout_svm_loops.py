# WRONG: affine_forward dropout_forward svm_loss max_pool_backward_naive
# NOTE: shape asserts and extra helpers; affine_forward asserts a 2-D x (the spec allows
# (N, d_1, ..., d_k)), the backward is right on any cache; non-inverted dropout (the mask is
# not scaled in training, the output is scaled by p at test time); an SVM with loops that
# counts the j == y[i] term; pooling whose backward unravels argmax with (ph, ph).
import numpy as np


def _check_2d(a, name):
    assert a.ndim == 2, "%s must be 2-D, got %s" % (name, a.shape)


def affine_forward(x, w, b):
    _check_2d(x, "x")
    assert x.shape[1] == w.shape[0]
    out = x.dot(w) + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    assert dout.shape == (x.shape[0], w.shape[1])
    x_rows = x.reshape(x.shape[0], -1)
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x_rows.T.dot(dout)
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    assert isinstance(x, np.ndarray)
    return x * (x > 0), x


def relu_backward(dout, cache):
    assert dout.shape == cache.shape
    return dout * (cache > 0)


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = np.random.rand(*x.shape) < p
        out = x * mask
    elif mode == "test":
        out = x * p
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask
    return dout


def svm_loss(x, y):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros(x.shape)
    for i in range(N):
        scores = x[i]
        for j in range(C):
            margin = scores[j] - scores[y[i]] + 1
            if margin > 0:
                loss += margin
                if j != y[i]:
                    dx[i, j] += 1
                    dx[i, y[i]] -= 1
    return loss / N, dx / N


def softmax_loss(x, y):
    N = x.shape[0]
    logits = x - x.max(axis=1, keepdims=True)
    logsum = np.log(np.exp(logits).sum(axis=1))
    loss = np.mean(logsum - logits[np.arange(N), y])
    dx = np.exp(logits - logsum[:, None])
    dx[np.arange(N), y] -= 1
    return loss, dx / N


def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    assert (H - ph) % s == 0 and (W - pw) % s == 0, "pooling windows must tile the input"
    Ho, Wo = 1 + (H - ph) // s, 1 + (W - pw) // s
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = np.amax(x[:, :, i * s:i * s + ph, j * s:j * s + pw], axis=(2, 3))
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
                    r, q = np.unravel_index(win.argmax(), (ph, ph))
                    dx[n, c, i * s + r, j * s + q] += dout[n, c, i, j]
    return dx
