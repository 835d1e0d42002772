"""layer norm implemented as batch norm on the transposed input (the CS231n trick), forward and backward."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = []

import numpy as np


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    xt = x.T
    mu = xt.mean(axis=0)
    std = np.sqrt(xt.var(axis=0) + eps)
    x_hat = ((xt - mu) / std).T
    out = gamma * x_hat + beta
    return out, (x_hat, std[:, None], gamma)


def layernorm_backward(dout, cache):
    x_hat, std, gamma = cache
    D = x_hat.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    g = (dout * gamma).T
    xh = x_hat.T
    dxt = (D * g - g.sum(axis=0) - xh * (g * xh).sum(axis=0)) / (D * std[:, 0])
    return dxt.T, dgamma, dbeta
