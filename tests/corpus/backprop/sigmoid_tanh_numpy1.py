# CORRECT: all
# NOTE: numpy-1 style (np.float, np.asscalar-free), stable sigmoid via np.exp(-abs(x)).
import numpy as np


def sigmoid_forward(x):
    x = x.astype(np.float)
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    return out, (x, out)


def sigmoid_backward(dout, cache):
    x, out = cache
    return dout * out * (1 - out)


def tanh_forward(x):
    out = np.tanh(x)
    return out, (x, out)


def tanh_backward(dout, cache):
    x, out = cache
    return dout * (1 - np.square(out))
