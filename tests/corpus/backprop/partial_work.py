# CORRECT: all
# ZERO: relu_backward sigmoid_forward sigmoid_backward
# NOTE: partial work: some functions done, the rest left as the skeleton's stubs.
import numpy as np


def affine_forward(x, w, b):
    out = np.dot(x.reshape(x.shape[0], -1), w) + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = np.dot(dout, w.T).reshape(x.shape)
    dw = np.dot(x.reshape(x.shape[0], -1).T, dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


def relu_forward(x):
    out = np.maximum(0, x)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    dx, x = None, cache
    # TODO: Implement the ReLU backward pass.
    pass
    return dx


def sigmoid_forward(x):
    raise NotImplementedError("TODO: sigmoid_forward")


def sigmoid_backward(dout, cache):
    raise NotImplementedError("TODO: sigmoid_backward")
