# WRONG: clip_grad_norm temporal_softmax_loss
# NOTE: in-place style: the RNN step accumulates into one preactivation buffer with +=, the
# backward scales dnext_h in place; the sequence functions loop over time with caches in a
# list built by append. Wrong: clip_grad_norm scales the caller's arrays in place (the spec
# says the input is never modified); temporal_softmax_loss divides by the number of
# masked-in timesteps instead of N.
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    a = x.dot(Wx)
    a += prev_h.dot(Wh)
    a += b
    np.tanh(a, out=a)
    return a, [x, prev_h, Wx, Wh, a]


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, h = cache
    dnext_h *= 1 - h * h
    return (dnext_h.dot(Wx.T), dnext_h.dot(Wh.T), x.T.dot(dnext_h), prev_h.T.dot(dnext_h),
            dnext_h.sum(axis=0))


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.empty((N, T, h0.shape[1]))
    cache = []
    prev = h0
    for t in range(T):
        prev, c = rnn_step_forward(x[:, t, :], prev, Wx, Wh, b)
        h[:, t, :] = prev
        cache.append(c)
    return h, cache


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.empty((N, T, D))
    dWx = np.zeros((D, H))
    dWh = np.zeros((H, H))
    db = np.zeros(H)
    dprev = np.zeros((N, H))
    for t in reversed(range(T)):
        g = dh[:, t, :] + dprev
        dx[:, t, :], dprev, gWx, gWh, gb = rnn_step_backward(g, cache[t])
        dWx += gWx
        dWh += gWh
        db += gb
    return dx, dprev, dWx, dWh, db


def word_embedding_forward(x, W):
    return W[x, :], (x, W.shape[0])


def word_embedding_backward(dout, cache):
    x, V = cache
    N, T, D = dout.shape
    dW = np.zeros((V, D))
    for n in range(N):
        for t in range(T):
            dW[x[n, t]] += dout[n, t]
    return dW


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    xf = x.reshape(N * T, V)
    yf = y.reshape(N * T)
    mf = mask.reshape(N * T)
    probs = np.exp(xf - xf.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    count = max(mf.sum(), 1)
    loss = -np.sum(mf * np.log(probs[np.arange(N * T), yf])) / count
    probs[np.arange(N * T), yf] -= 1
    dx = (probs * mf[:, None] / count).reshape(N, T, V)
    return loss, dx


def clip_grad_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    if total_norm > max_norm:
        for k in grads:
            grads[k] *= max_norm / total_norm
    return grads, total_norm
