# CORRECT: all
# NOTE: the student's own default hyperparameters differ from the documented ones (alpha, delta,
# lo/hi, eps): the grader passes every documented hyperparameter explicitly.
import numpy as np


def leaky_relu_forward(x, alpha=0.2):
    return np.where(x > 0, x, x * alpha), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return np.where(x > 0, dout, dout * alpha)


def huber_loss(x, y, delta=2.0):
    r = x - y
    small = np.abs(r) <= delta
    loss = np.sum(np.where(small, 0.5 * r * r, delta * (np.abs(r) - 0.5 * delta)))
    dx = np.where(small, r, delta * np.sign(r))
    return loss, dx


def mse_loss(x, y):
    diff = x - y
    return 0.5 * np.sum(diff * diff), diff


def clip_forward(x, lo=-5.0, hi=5.0):
    return np.minimum(np.maximum(x, lo), hi), (x, lo, hi)


def clip_backward(dout, cache):
    x, lo, hi = cache
    inside = np.logical_and(x >= lo, x <= hi)
    return dout * inside


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-8)
    mu = np.mean(x, axis=1, keepdims=True)
    var = np.var(x, axis=1, keepdims=True)
    xhat = (x - mu) / np.sqrt(var + eps)
    return gamma * xhat + beta, (xhat, gamma, np.sqrt(var + eps))


def layernorm_backward(dout, cache):
    xhat, gamma, std = cache
    D = xhat.shape[1]
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    g = dout * gamma
    dx = (D * g - g.sum(axis=1, keepdims=True)
          - xhat * np.sum(g * xhat, axis=1, keepdims=True)) / (D * std)
    return dx, dgamma, dbeta


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-8)
    momentum = bn_param.get("momentum", 0.99)
    D = x.shape[1]
    rm = bn_param.get("running_mean", np.zeros(D))
    rv = bn_param.get("running_var", np.zeros(D))
    cache = None
    if mode == "train":
        mu, var = x.mean(0), x.var(0)
        xhat = (x - mu) / np.sqrt(var + eps)
        out = gamma * xhat + beta
        cache = (xhat, gamma, np.sqrt(var + eps))
        rm = momentum * rm + (1 - momentum) * mu
        rv = momentum * rv + (1 - momentum) * var
    else:
        out = gamma * (x - rm) / np.sqrt(rv + eps) + beta
    bn_param["running_mean"], bn_param["running_var"] = rm, rv
    return out, cache


def batchnorm_backward_alt(dout, cache):
    xhat, gamma, std = cache
    N = xhat.shape[0]
    dgamma = (dout * xhat).sum(0)
    dbeta = dout.sum(0)
    dx = gamma / (N * std) * (N * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def batchnorm_backward(dout, cache):
    return batchnorm_backward_alt(dout, cache)
