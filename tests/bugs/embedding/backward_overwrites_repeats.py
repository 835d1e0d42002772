"""word_embedding_backward does dW[x] += dout: with a word used several times, numpy's buffered fancy indexing keeps only one of its gradients."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/word_embedding_backward']
DIAGNOSIS = {'rnn/word_embedding_backward': 'overwrite_not_accumulate'}

import numpy as np


def word_embedding_backward(dout, cache):
    x, W_shape = cache
    dW = np.zeros(W_shape)
    dW[x] += dout
    return dW
