# CORRECT: all
# WRONG: max_pool_forward_naive
# NOTE: pooling over a flattened output with index arithmetic h * out_h + w (right only for
# square outputs); the backward, written separately, is right.
import numpy as np


def max_pool_forward_naive(x, pool_param):
    ph = pool_param["pool_height"]
    pw = pool_param["pool_width"]
    s = pool_param["stride"]
    N, C, H, W = x.shape
    out_h = int((H - ph) / s) + 1
    out_w = int((W - pw) / s) + 1
    flat = np.zeros((N, C, out_h * out_w))
    for h in range(out_h):
        for w in range(out_w):
            flat[:, :, h * out_h + w] = x[:, :, h * s:h * s + ph, w * s:w * s + pw].max(axis=(2, 3))
    out = flat.reshape(N, C, out_h, out_w)
    return out, (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, out_h, out_w = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for h in range(out_h):
                for w in range(out_w):
                    win = x[n, c, h * s:h * s + ph, w * s:w * s + pw]
                    k = np.argmax(win)
                    dx[n, c, h * s + k // pw, w * s + k % pw] += dout[n, c, h, w]
    return dx
