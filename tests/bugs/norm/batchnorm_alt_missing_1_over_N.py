"""batchnorm_backward_alt forgets the 1/N of the closed form (scaled by N)."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/batchnorm_backward_alt']
DIAGNOSIS = {'backprop/batchnorm_backward_alt': 'scaled:N'}

import numpy as np


def batchnorm_backward_alt(dout, cache):
    x, x_hat, mu, var, std, gamma, eps = cache
    N = x.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = gamma / std * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta
