"""batchnorm_backward returns dgamma per example, shape (N, D), without the sum over the batch."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/batchnorm_backward']
DIAGNOSIS = {'backprop/batchnorm_backward': 'missing_batch_sum'}

import numpy as np


def batchnorm_backward(dout, cache):
    x, x_hat, mu, var, std, gamma, eps = cache
    N = x.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = dout * x_hat
    dx = gamma / (N * std) * (N * dout - dbeta - x_hat * dgamma.sum(axis=0))
    return dx, dgamma, dbeta
