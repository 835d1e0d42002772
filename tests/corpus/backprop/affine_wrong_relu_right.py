# CORRECT: all
# WRONG: affine_forward affine_backward
# NOTE: vectorised; the affine layer forgets the bias and its gradient, the ReLU is right and
# must keep every point (the dying-ReLU behaviour is scored under relu_backward); a network
# without biases still overfits, so network_learns keeps its points too.
import numpy as np


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1).dot(w)
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    return dx, dw, np.zeros_like(b)


def relu_forward(x):
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    return np.where(cache > 0, dout, 0.0)


def softmax_loss(x, y):
    N = x.shape[0]
    e = np.exp(x - x.max(1, keepdims=True))
    p = e / e.sum(1, keepdims=True)
    loss = -np.log(p[np.arange(N), y]).mean()
    p[np.arange(N), y] -= 1
    return loss, p / N
