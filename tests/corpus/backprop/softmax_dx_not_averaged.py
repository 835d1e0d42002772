# CORRECT: all
# WRONG: softmax_loss
# NOTE: vectorised softmax whose loss is averaged but whose gradient is not divided by N.
import numpy as np


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[range(N), y]))
    dx = probs
    dx[range(N), y] -= 1
    return loss, dx


def svm_loss(x, y):
    N = x.shape[0]
    correct = x[np.arange(N), y].reshape(-1, 1)
    margins = np.maximum(0, x - correct + 1)
    margins[np.arange(N), y] = 0
    loss = np.sum(margins) / N
    counts = (margins > 0).astype(float)
    counts[np.arange(N), y] = -np.sum(counts, axis=1)
    return loss, counts / N
