import numpy as np
import os


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def attack():
    # raw writes to stdout past every cap, then a crash (each new child used to append to the file)
    chunk = b"o" * (1 << 20)
    try:
        for _ in range(200):
            os.write(1, chunk)
    except OSError:
        pass
    os._exit(1)
