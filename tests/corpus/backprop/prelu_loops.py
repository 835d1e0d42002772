# CORRECT: all
# NOTE: PReLU with loops over features, slope gradient accumulated per feature.
import numpy as np


def prelu_forward(x, alpha):
    out = np.zeros_like(x)
    N, D = x.shape
    for d in range(D):
        col = x[:, d]
        out[:, d] = np.where(col > 0, col, alpha[d] * col)
    return out, (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = cache
    N, D = x.shape
    dx = np.zeros_like(x)
    dalpha = np.zeros_like(alpha)
    for d in range(D):
        neg = x[:, d] <= 0
        dx[:, d] = np.where(neg, alpha[d] * dout[:, d], dout[:, d])
        dalpha[d] = np.sum(dout[neg, d] * x[neg, d])
    return dx, dalpha
