"""layernorm_forward normalises each feature over the batch (axis 0), which is batch norm, not each example over its features."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/layernorm_forward']
MAY_FAIL = ['backprop/layernorm_backward']
TAGS = ['forward']

import numpy as np


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mu = x.mean(axis=0, keepdims=True)
    std = np.sqrt(x.var(axis=0, keepdims=True) + eps)
    x_hat = (x - mu) / std
    out = gamma * x_hat + beta
    cache = (x_hat, std, gamma)
    return out, cache
