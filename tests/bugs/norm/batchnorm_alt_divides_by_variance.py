"""batchnorm_backward_alt divides by the variance where the closed form has the standard deviation."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/batchnorm_backward_alt']

import numpy as np


def batchnorm_backward_alt(dout, cache):
    x, x_hat, mu, var, std, gamma, eps = cache
    N = x.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = gamma / (N * (var + eps)) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta
