"""Composite layers built from layers.py, in the CS231n convention (given code).

Each composite forward returns (out, cache) with cache the tuple of its parts' caches;
each composite backward takes (dout, cache) and returns the gradients of its inputs.
"""
from .layers import *  # noqa: F401,F403  (CS231n style: the composites use the layers by name)


def affine_relu_forward(x, w, b):
    """Affine transform followed by a ReLU.

    Inputs:
    - x: float64 array of shape (N, d_1, ..., d_k), flattened to (N, D)
    - w: float64 array of shape (D, M)
    - b: float64 array of shape (M,)

    Returns a tuple of:
    - out: float64 array of shape (N, M)
    - cache: (fc_cache, relu_cache)
    """
    a, fc_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    cache = (fc_cache, relu_cache)
    return out, cache


def affine_relu_backward(dout, cache):
    """Backward pass of affine_relu_forward.

    Inputs:
    - dout: float64 array of shape (N, M)
    - cache: (fc_cache, relu_cache)

    Returns a tuple of:
    - dx: float64 array of shape (N, d_1, ..., d_k)
    - dw: float64 array of shape (D, M)
    - db: float64 array of shape (M,)
    """
    fc_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db


def affine_sigmoid_forward(x, w, b):
    """Affine transform followed by a sigmoid.

    Inputs:
    - x: float64 array of shape (N, d_1, ..., d_k), flattened to (N, D)
    - w: float64 array of shape (D, M)
    - b: float64 array of shape (M,)

    Returns a tuple of:
    - out: float64 array of shape (N, M), values in [0, 1]
    - cache: (fc_cache, sigmoid_cache)
    """
    a, fc_cache = affine_forward(x, w, b)
    out, sigmoid_cache = sigmoid_forward(a)
    cache = (fc_cache, sigmoid_cache)
    return out, cache


def affine_sigmoid_backward(dout, cache):
    """Backward pass of affine_sigmoid_forward.

    Inputs:
    - dout: float64 array of shape (N, M)
    - cache: (fc_cache, sigmoid_cache)

    Returns a tuple of:
    - dx: float64 array of shape (N, d_1, ..., d_k)
    - dw: float64 array of shape (D, M)
    - db: float64 array of shape (M,)
    """
    fc_cache, sigmoid_cache = cache
    da = sigmoid_backward(dout, sigmoid_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db


def affine_bn_relu_forward(x, w, b, gamma, beta, bn_param):
    """Affine transform, batch normalisation, then ReLU.

    Inputs:
    - x: float64 array of shape (N, d_1, ..., d_k), flattened to (N, D)
    - w: float64 array of shape (D, M)
    - b: float64 array of shape (M,)
    - gamma, beta: float64 arrays of shape (M,), batchnorm scale and shift
    - bn_param: dict for batchnorm_forward (mode, eps, momentum, running stats;
      updated in place)

    Returns a tuple of:
    - out: float64 array of shape (N, M)
    - cache: (fc_cache, bn_cache, relu_cache)
    """
    a, fc_cache = affine_forward(x, w, b)
    a_bn, bn_cache = batchnorm_forward(a, gamma, beta, bn_param)
    out, relu_cache = relu_forward(a_bn)
    cache = (fc_cache, bn_cache, relu_cache)
    return out, cache


def affine_bn_relu_backward(dout, cache):
    """Backward pass of affine_bn_relu_forward (train mode).

    Inputs:
    - dout: float64 array of shape (N, M)
    - cache: (fc_cache, bn_cache, relu_cache)

    Returns a tuple of:
    - dx: float64 array of shape (N, d_1, ..., d_k)
    - dw: float64 array of shape (D, M)
    - db: float64 array of shape (M,)
    - dgamma, dbeta: float64 arrays of shape (M,)
    """
    fc_cache, bn_cache, relu_cache = cache
    da_bn = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = batchnorm_backward(da_bn, bn_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db, dgamma, dbeta


def conv_relu_forward(x, w, b, conv_param):
    """Convolution followed by a ReLU.

    Inputs:
    - x: float64 array of shape (N, C, H, W)
    - w: float64 array of shape (F, C, HH, WW)
    - b: float64 array of shape (F,)
    - conv_param: dict with stride and pad (ints)

    Returns a tuple of:
    - out: float64 array of shape (N, F, H', W')
    - cache: (conv_cache, relu_cache)
    """
    a, conv_cache = conv_forward_naive(x, w, b, conv_param)
    out, relu_cache = relu_forward(a)
    cache = (conv_cache, relu_cache)
    return out, cache


def conv_relu_backward(dout, cache):
    """Backward pass of conv_relu_forward.

    Inputs:
    - dout: float64 array of shape (N, F, H', W')
    - cache: (conv_cache, relu_cache)

    Returns a tuple of:
    - dx: float64 array of shape (N, C, H, W)
    - dw: float64 array of shape (F, C, HH, WW)
    - db: float64 array of shape (F,)
    """
    conv_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    dx, dw, db = conv_backward_naive(da, conv_cache)
    return dx, dw, db
