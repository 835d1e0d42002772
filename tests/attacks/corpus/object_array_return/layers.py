import numpy as np

def affine_forward(x, w, b):
    out = np.empty((x.shape[0], w.shape[1]), dtype=object)
    out[...] = 0.0
    return out, (x, w, b)

def affine_backward(dout, cache):
    x, w, b = cache
    return np.zeros(x.shape), np.zeros(w.shape), np.zeros(b.shape)
