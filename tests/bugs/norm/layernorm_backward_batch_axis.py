"""layernorm_backward reuses the batch norm formula, taking the mean terms over the batch (axis 0) instead of over the features."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/layernorm_backward']

import numpy as np


def layernorm_backward(dout, cache):
    x_hat, std, gamma = cache
    N = x_hat.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (N * std)
    return dx, dgamma, dbeta
