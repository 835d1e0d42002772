"""batch norm backward through the staged graph with different intermediates, and the alternative closed form written with the centred input and the inverse std."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def batchnorm_backward(dout, cache):
    x, x_hat, mu, var, std, gamma, eps = cache
    N = x.shape[0]
    inv_std = 1.0 / std
    xmu = x - mu
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xmu * inv_std, axis=0)
    dxhat = dout * gamma
    dinv_std = np.sum(dxhat * xmu, axis=0)
    dxmu1 = dxhat * inv_std
    dstd = -dinv_std / std ** 2
    dvar = 0.5 * dstd / np.sqrt(var + eps)
    dsq = np.ones_like(x) * dvar / N
    dxmu2 = 2.0 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -np.sum(dx1, axis=0)
    dx2 = np.ones_like(x) * dmu / N
    return dx1 + dx2, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    x, x_hat, mu, var, std, gamma, eps = cache
    N = x.shape[0]
    xmu = x - mu
    inv = 1.0 / std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xmu * inv).sum(axis=0)
    dx = (gamma * inv / N) * (N * dout - dout.sum(axis=0)
                              - xmu * inv ** 2 * (dout * xmu).sum(axis=0))
    return dx, dgamma, dbeta
