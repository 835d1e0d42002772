"""layernorm_backward sums dgamma and dbeta over the features (axis 1) instead of over the batch."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/layernorm_backward']
DIAGNOSIS = {'backprop/layernorm_backward': 'shape_mismatch'}

import numpy as np


def layernorm_backward(dout, cache):
    x_hat, std, gamma = cache
    D = x_hat.shape[1]
    dbeta = dout.sum(axis=1)
    dgamma = (dout * x_hat).sum(axis=1)
    dx_hat = dout * gamma
    dx = (D * dx_hat - dx_hat.sum(axis=1, keepdims=True)
          - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True)) / (D * std)
    return dx, dgamma, dbeta
