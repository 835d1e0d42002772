# CORRECT: all
# NOTE: keepdims=True everywhere: db, dgamma, dbeta and the running statistics come out (1, D).
import numpy as np


def affine_forward(x, w, b):
    N = x.shape[0]
    out = x.reshape(N, -1).dot(w) + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = np.sum(dout, axis=0, keepdims=True)
    return dx, dw, db


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros((1, D)))
    running_var = bn_param.get("running_var", np.zeros((1, D)))
    cache = None
    if mode == "train":
        sample_mean = np.mean(x, axis=0, keepdims=True)
        sample_var = np.var(x, axis=0, keepdims=True)
        x_norm = (x - sample_mean) / np.sqrt(sample_var + eps)
        out = gamma * x_norm + beta
        running_mean = momentum * running_mean + (1 - momentum) * sample_mean
        running_var = momentum * running_var + (1 - momentum) * sample_var
        cache = (x, x_norm, sample_mean, sample_var, gamma, eps)
    else:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    x, x_norm, mean, var, gamma, eps = cache
    N = x.shape[0]
    dbeta = np.sum(dout, axis=0, keepdims=True)
    dgamma = np.sum(dout * x_norm, axis=0, keepdims=True)
    dx_norm = dout * gamma
    dvar = np.sum(dx_norm * (x - mean), axis=0, keepdims=True) * -0.5 * (var + eps) ** (-1.5)
    dmean = np.sum(-dx_norm / np.sqrt(var + eps), axis=0, keepdims=True) \
        + dvar * np.mean(-2 * (x - mean), axis=0, keepdims=True)
    dx = dx_norm / np.sqrt(var + eps) + dvar * 2 * (x - mean) / N + dmean / N
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    x, x_norm, mean, var, gamma, eps = cache
    N = x.shape[0]
    dbeta = dout.sum(axis=0, keepdims=True)
    dgamma = (dout * x_norm).sum(axis=0, keepdims=True)
    dx = (gamma / (N * np.sqrt(var + eps))) * (N * dout - dbeta - x_norm * dgamma)
    return dx, dgamma, dbeta
