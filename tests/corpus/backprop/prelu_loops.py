# WRONG: prelu_forward
# NOTE: PReLU with loops over features, slope gradient accumulated per feature. Wrong: the
# docstring promises x of shape (N, ..., D) and `N, D = x.shape` only takes (N, D).
# prelu_backward has the same limit, but its 3-D checks run on the cache of this prelu_forward,
# which raises first: the failure is blamed on prelu_forward, and prelu_backward keeps its points.
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
