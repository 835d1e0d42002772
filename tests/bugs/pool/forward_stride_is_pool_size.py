"""max_pool_forward_naive steps its windows by the pool size instead of the stride: wrong whenever they differ (overlapping windows)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/max_pool_forward_naive']
MAY_FAIL = ['backprop/max_pool_backward_naive']
TAGS = ['forward']

import numpy as np


def max_pool_forward_naive(x, pool_param):
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    H_out = 1 + (H - ph) // stride
    W_out = 1 + (W - pw) // stride
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * ph:i * ph + ph, j * pw:j * pw + pw]
            out[:, :, i, j] = window.max(axis=(2, 3)) if window.size else 0.0
    cache = (x, pool_param)
    return out, cache
