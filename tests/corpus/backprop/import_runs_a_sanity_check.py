# FILE_ERROR: yes
# NOTE: vectorised layers, then the student's own sanity check left at the top level of the
# file: it loads a batch that exists only on their machine, so importing the file raises.
import numpy as np


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    return dout * (cache > 0)


# quick check on real data before submitting
X_batch = np.load("cs231n/datasets/cifar10_batch_1.npy")
scores, _ = affine_forward(X_batch, np.zeros((3072, 10)), np.zeros(10))
print("scores", scores.shape)
