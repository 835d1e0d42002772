import numpy as np


def affine_forward(x, w, b):
    return {"out": [[np.zeros(2)], ("a", None)], "cache": True}, (x, w, b)


def affine_backward(dout, cache):
    return "dx", {"dw": [None, {"db": [1, [2, [3.5]]]}]}, [True, np.int8(3)]
