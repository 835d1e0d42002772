"""max_pool_backward_naive sends each window's gradient to every element of the window, not only to its maximum."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/max_pool_backward_naive']
DIAGNOSIS = {'backprop/max_pool_backward_naive': 'mask_wrong_region'}

import numpy as np


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C = x.shape[:2]
    H_out, W_out = dout.shape[2:]
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    hs, ws = i * stride, j * stride
                    window = x[n, c, hs:hs + ph, ws:ws + pw]
                    dx[n, c, hs:hs + ph, ws:ws + pw] += dout[n, c, i, j]
    return dx
