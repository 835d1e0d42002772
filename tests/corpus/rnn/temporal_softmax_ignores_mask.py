# CORRECT: all
# WRONG: temporal_softmax_loss
# NOTE: vectorised; the loss is masked but the gradient is not.
import numpy as np


def temporal_affine_forward(x, w, b):
    out = np.einsum("ntd,dm->ntm", x, w) + b
    return out, (x, w, b, out)


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    dx = np.einsum("ntm,dm->ntd", dout, w)
    dw = np.einsum("ntd,ntm->dm", x, dout)
    db = dout.sum(axis=(0, 1))
    return dx, dw, db


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    z = x - x.max(axis=2, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
    n, t = np.meshgrid(np.arange(N), np.arange(T), indexing="ij")
    loss = -np.sum(logp[n, t, y] * mask) / N
    dx = np.exp(logp)
    dx[n, t, y] -= 1
    return loss, dx / N
