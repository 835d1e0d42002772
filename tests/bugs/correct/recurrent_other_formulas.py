"""LSTM step with np.split on the gates, word embedding backward with a loop that accumulates, temporal layers through 2-D reshapes."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = []

import numpy as np


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    a_i, a_f, a_o, a_g = np.split(x @ Wx + prev_h @ Wh + b, 4, axis=1)
    i, f, o = _sigmoid(a_i), _sigmoid(a_f), _sigmoid(a_o)
    g = np.tanh(a_g)
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)


def word_embedding_backward(dout, cache):
    x, W_shape = cache
    dW = np.zeros(W_shape)
    N, T = x.shape
    for n in range(N):
        for t in range(T):
            dW[x[n, t]] += dout[n, t]
    return dW


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = (x.reshape(N * T, D) @ w + b).reshape(N, T, -1)
    return out, (x, w, b, out)


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    N, T, D = x.shape
    M = w.shape[1]
    d2 = dout.reshape(N * T, M)
    dx = (d2 @ w.T).reshape(N, T, D)
    dw = x.reshape(N * T, D).T @ d2
    db = d2.sum(axis=0)
    return dx, dw, db


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for t in range(T):
        scores = x[:, t, :]
        shifted = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(shifted)
        probs /= probs.sum(axis=1, keepdims=True)
        m = mask[:, t].astype(float)
        loss -= np.sum(m * np.log(probs[np.arange(N), y[:, t]])) / N
        probs[np.arange(N), y[:, t]] -= 1
        dx[:, t, :] = probs * m[:, None] / N
    return loss, dx
