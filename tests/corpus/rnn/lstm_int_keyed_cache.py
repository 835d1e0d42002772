# CORRECT: all
# NOTE: LSTM whose step cache is an int-keyed dict and whose sequence cache is a dict
# {t: step cache}; sigmoid written inline.
import numpy as np


def _sig(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    i, f, o = _sig(a[:, :H]), _sig(a[:, H:2 * H]), _sig(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    cache = {0: x, 1: prev_h, 2: prev_c, 3: Wx, 4: Wh, 5: (i, f, o, g), 6: next_c}
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh = cache[0], cache[1], cache[2], cache[3], cache[4]
    i, f, o, g = cache[5]
    tc = np.tanh(cache[6])
    dc = dnext_c + dnext_h * o * (1 - tc * tc)
    da = np.hstack([dc * g * i * (1 - i), dc * prev_c * f * (1 - f),
                    dnext_h * tc * o * (1 - o), dc * i * (1 - g * g)])
    return da @ Wx.T, da @ Wh.T, dc * f, x.T @ da, prev_h.T @ da, da.sum(0)


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = {}
    ph, pc = h0, np.zeros((N, H))
    for t in range(T):
        ph, pc, cache[t] = lstm_step_forward(x[:, t], ph, pc, Wx, Wh, b)
        h[:, t] = ph
    return h, cache


def lstm_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx, dWh, db = np.zeros((D, 4 * H)), np.zeros((H, 4 * H)), np.zeros(4 * H)
    dph, dpc = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dx[:, t], dph, dpc, a, bb, c = lstm_step_backward(dh[:, t] + dph, dpc, cache[t])
        dWx, dWh, db = dWx + a, dWh + bb, db + c
    return dx, dph, dWx, dWh, db
