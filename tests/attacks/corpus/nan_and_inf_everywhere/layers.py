import numpy as np


def affine_forward(x, w, b):
    return float("nan"), (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    return np.full(x.shape, np.nan), float("inf"), {"count": float("-inf")}
