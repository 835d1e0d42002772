# CORRECT: all
# WRONG: relu_backward
# NOTE: vectorised; relu_backward masks where dout > 0 instead of where x > 0.
import numpy as np


def relu_forward(x):
    out = np.maximum(0, x)
    return out, x


def relu_backward(dout, cache):
    dx = dout.copy()
    dx[dout < 0] = 0
    return dx


def leaky_relu_forward(x, alpha=0.01):
    out = x.copy()
    out[x < 0] *= alpha
    return out, (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    dx = dout.copy()
    dx[x < 0] *= alpha
    return dx
