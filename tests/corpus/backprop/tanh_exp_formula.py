# CORRECT: all
# WRONG: tanh_forward
# NOTE: tanh by its exponential formula: right on ordinary inputs, NaN once exp overflows.
import numpy as np


def tanh_forward(x):
    e_pos, e_neg = np.exp(x), np.exp(-x)
    out = (e_pos - e_neg) / (e_pos + e_neg)
    return out, out


def tanh_backward(dout, cache):
    out = cache
    return dout * (1 - out * out)


def sigmoid_forward(x):
    out = 1.0 / (1.0 + np.exp(-x))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1.0 - cache)
