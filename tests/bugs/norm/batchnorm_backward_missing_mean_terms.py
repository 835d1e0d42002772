"""batchnorm_backward treats the batch mean and variance as constants: dx = dout * gamma / std."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/batchnorm_backward']

import numpy as np


def batchnorm_backward(dout, cache):
    x, x_hat, mu, var, std, gamma, eps = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = dout * gamma / std
    return dx, dgamma, dbeta
