# CORRECT: all
# NOTE: caches are int-keyed dicts (and hold a Python object), as some students write them.
import numpy as np


class Shapes(object):
    def __init__(self, x):
        self.shape = x.shape


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1).dot(w) + b
    cache = {0: x, 1: w, 2: b, 3: Shapes(x)}
    return out, cache


def affine_backward(dout, cache):
    x, w = cache[0], cache[1]
    dx = dout.dot(w.T).reshape(cache[3].shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    return x * (x > 0), {0: x}


def relu_backward(dout, cache):
    return dout * (cache[0] > 0)


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    out, cache = None, None
    if mode == "train":
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        xhat = (x - mu) / np.sqrt(var + eps)
        out = gamma * xhat + beta
        cache = {0: xhat, 1: gamma, 2: np.sqrt(var + eps), 3: N}
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, gamma, std, N = cache[0], cache[1], cache[2], cache[3]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = (N * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0)) / (N * std)
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    return batchnorm_backward(dout, cache)
