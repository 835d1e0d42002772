"""Fails at import (submit must refuse, naming the file)."""
import numpy as np
import a_module_that_does_not_exist  # noqa: F401


def affine_forward(x, w, b):
    return x @ w + b, (x, w, b)


def affine_backward(dout, cache):
    return None, None, None
