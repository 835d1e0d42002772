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


def _course():
    """The decoy course tree around the job dirs (stat works outside the job dir, reading not)."""
    here = os.path.abspath(".")
    while here != "/":
        here = os.path.dirname(here)
        if os.path.exists(os.path.join(here, "gradebook.sqlite")):
            return here
    return None


def _leave_links():
    # links to folders and files outside the job dir, some in a folder the cleaner cannot list
    course = _course()
    targets = [course, os.path.join(course, "solutions"), os.path.join(course, "solutions", "backprop"),
               os.path.join(course, "gradebook.sqlite"), os.path.join(course, "course_secret.txt")]
    for n, target in enumerate(targets):
        os.symlink(target, f"link{n}")
    os.mkdir("locked", 0o300)  # write + search, no read: a naive walk cannot even list it
    for n, target in enumerate(targets):
        os.symlink(target, os.path.join("locked", f"link{n}"))
    os.makedirs(os.path.join("deep", "er"))
    os.symlink(course, os.path.join("deep", "er", "course"))
    os.mkdir(os.path.join("deep", "er", "shut"), 0)  # a folder without any permission


def attack():
    _leave_links()
    return 1
