# CORRECT: all
# WRONG: clip_backward
# NOTE: vectorised; clip_backward lets the gradient through everywhere (the DQN bug).
import numpy as np


def clip_forward(x, lo=-1.0, hi=1.0):
    return np.clip(x, lo, hi), (x, lo, hi)


def clip_backward(dout, cache):
    return dout.copy()
