# CORRECT: all
# WRONG: huber_loss
# NOTE: vectorised; huber_loss forgets to clip its gradient; gather is right and keeps its
# points (the TD-loss behaviour is scored under gather_backward).
import numpy as np


def huber_loss(x, y, delta=1.0):
    r = x - y
    loss = np.sum(np.where(np.abs(r) <= delta, 0.5 * r ** 2, delta * (np.abs(r) - 0.5 * delta)))
    return loss, r


def gather_forward(x, idx):
    rows = np.arange(x.shape[0])
    if idx.ndim == 2:
        rows = rows[:, None]
    return x[rows, idx], (x.shape, rows, idx)


def gather_backward(dout, cache):
    shape, rows, idx = cache
    dx = np.zeros(shape)
    np.add.at(dx, (rows, idx), dout)
    return dx
