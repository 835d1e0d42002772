# CORRECT: all
# WRONG: word_embedding_backward
# NOTE: vectorised embedding whose backward assigns dW[x] = dout, losing repeated words.
import numpy as np


def word_embedding_forward(x, W):
    return W[x], (x, W)


def word_embedding_backward(dout, cache):
    x, W = cache
    dW = np.zeros_like(W)
    dW[x] = dout
    return dW
