"""The release's stubs: nothing implemented."""
import numpy as np


def affine_forward(x, w, b):
    raise NotImplementedError("Implement affine_forward (task mini/affine_forward)")


def affine_backward(dout, cache):
    raise NotImplementedError("Implement affine_backward (task mini/affine_backward)")
