# CORRECT: all
# WRONG: prelu_backward
# NOTE: vectorised PReLU whose dalpha keeps one row per example (not summed over the batch).
import numpy as np


def prelu_forward(x, alpha):
    return np.maximum(x, 0) + alpha * np.minimum(x, 0), (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = cache
    dx = dout * np.where(x > 0, 1.0, alpha)
    dalpha = dout * np.minimum(x, 0)
    return dx, dalpha
