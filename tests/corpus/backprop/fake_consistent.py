# ZERO: all
# NOTE: no work, made to look consistent: every forward returns its input (or a linear map of
# it) and every backward hands dout straight back. It must score 0.
import numpy as np


def _like(dout, x):
    return dout.reshape(x.shape) if dout.size == x.size else dout


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1)
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    return _like(dout, x), dout, dout


def relu_forward(x):
    return x, x


def relu_backward(dout, cache):
    return dout


def leaky_relu_forward(x, alpha=0.01):
    return x, x


def leaky_relu_backward(dout, cache):
    return dout


def prelu_forward(x, alpha):
    return x, (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = cache
    return dout, np.sum(dout, axis=0)


def sigmoid_forward(x):
    return x, x


def sigmoid_backward(dout, cache):
    return dout


def tanh_forward(x):
    return x, x


def tanh_backward(dout, cache):
    return dout


def batchnorm_forward(x, gamma, beta, bn_param):
    out = x * gamma + beta
    return out, (x, gamma)


def batchnorm_backward(dout, cache):
    x, gamma = cache
    return dout * gamma, np.sum(dout * x, axis=0), np.sum(dout, axis=0)


def batchnorm_backward_alt(dout, cache):
    return batchnorm_backward(dout, cache)


def layernorm_forward(x, gamma, beta, ln_param):
    return batchnorm_forward(x, gamma, beta, ln_param)


def layernorm_backward(dout, cache):
    return batchnorm_backward(dout, cache)


def dropout_forward(x, dropout_param):
    return x, (dropout_param, None)


def dropout_backward(dout, cache):
    return dout


def softmax_loss(x, y):
    return np.sum(x), np.ones_like(x)


def svm_loss(x, y):
    return np.sum(x), np.ones_like(x)


def mse_loss(x, y):
    return np.sum(x - y), np.ones_like(x)


def huber_loss(x, y, delta=1.0):
    return np.sum(x - y), np.ones_like(x)


def clip_forward(x, lo=-1.0, hi=1.0):
    return x, x


def clip_backward(dout, cache):
    return dout


def gather_forward(x, idx):
    out = x[:, : (idx.shape[1] if idx.ndim == 2 else 1)]
    if idx.ndim == 1:
        out = out[:, 0]
    return out, (x, idx)


def gather_backward(dout, cache):
    return dout


def conv_forward_naive(x, w, b, conv_param):
    return x, (x, w, b, conv_param)


def conv_backward_naive(dout, cache):
    return dout, dout, dout


def max_pool_forward_naive(x, pool_param):
    s = pool_param["stride"]
    return x[:, :, ::s, ::s], (x, pool_param)


def max_pool_backward_naive(dout, cache):
    return dout
