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
    # files on the scratch tmpfs are memory: 32 files of 32 MiB (1 GiB) exceed its byte quota
    os.mkdir("fill")
    chunk = b"x" * (32 << 20)
    for n in range(32):
        with open(os.path.join("fill", str(n)), "wb") as handle:
            handle.write(chunk)
    return 1
