# CORRECT: all
# NOTE: layer norm written as batch norm on the transpose, reusing a helper, vectorised.
import numpy as np


def _normalise(x, eps):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    std = np.sqrt(var + eps)
    return (x - mu) / std, std


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    xhat_t, std = _normalise(x.T, eps)
    xhat = xhat_t.T
    out = gamma * xhat + beta
    cache = {"xhat": xhat, "gamma": gamma, "std": std}
    return out, cache


def layernorm_backward(dout, cache):
    xhat, gamma, std = cache["xhat"], cache["gamma"], cache["std"]
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dxhat_t = (dout * gamma).T
    xhat_t = xhat.T
    D = xhat_t.shape[0]
    dx_t = (D * dxhat_t - dxhat_t.sum(axis=0) - xhat_t * (dxhat_t * xhat_t).sum(axis=0)) / (D * std)
    return dx_t.T, dgamma, dbeta
