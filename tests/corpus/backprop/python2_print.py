# FILE_ERROR: yes
# NOTE: Python 2 code (print statements, xrange): one message for the file.
import numpy as np


def affine_forward(x, w, b):
    N = x.shape[0]
    out = x.reshape(N, -1).dot(w) + b
    print "affine_forward out shape", out.shape
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = np.zeros_like(b)
    for i in xrange(dout.shape[0]):
        db += dout[i]
    return dx, dw, db
