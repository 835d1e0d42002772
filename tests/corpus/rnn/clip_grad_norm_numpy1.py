# CORRECT: all
# NOTE: numpy-1 names (np.float, np.product) and xrange from past.builtins in the RNN helpers.
from past.builtins import xrange
import numpy as np


def clip_grad_norm(grads, max_norm):
    total = np.float(0)
    for name in grads:
        total += np.sum(grads[name] ** 2)
    total_norm = np.sqrt(total)
    clipped = {}
    for name, g in grads.items():
        if total_norm > max_norm:
            clipped[name] = g * (max_norm / total_norm)
        else:
            clipped[name] = g.copy()
    return clipped, float(total_norm)


def word_embedding_forward(x, W):
    N, T = x.shape
    out = np.zeros((N, T, W.shape[1]))
    for n in xrange(N):
        for t in xrange(T):
            out[n, t] = W[x[n, t]]
    return out, (x, W.shape)


def word_embedding_backward(dout, cache):
    x, shape = cache
    dW = np.zeros(shape)
    flat = x.reshape(np.product(x.shape))
    d = dout.reshape(len(flat), -1)
    for k in xrange(len(flat)):
        dW[flat[k]] += d[k]
    return dW
