"""Layers for the backprop assignment, in the CS231n convention.

Every forward function returns ``(out, cache)``; every backward function takes
``(dout, cache)`` and returns the gradients of the forward's differentiable inputs,
in the order of the forward's arguments. Loss functions return ``(loss, dx)``.
All arrays are float64 unless stated otherwise. Only numpy is used.
"""
import numpy as np


# --------------------------------------------------------------------------------------
# Fully connected and activations
# --------------------------------------------------------------------------------------
def affine_forward(x, w, b):
    """Forward pass of an affine (fully connected) layer.

    Inputs:
    - x: float64 array of shape (N, d_1, ..., d_k); each example is flattened to D = d_1*...*d_k
    - w: float64 array of shape (D, M), weights
    - b: float64 array of shape (M,), biases

    Returns a tuple of:
    - out: float64 array of shape (N, M)
    - cache: (x, w, b)
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement affine_forward (task backprop/affine_forward)")
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    Inputs:
    - dout: float64 array of shape (N, M), upstream gradient
    - cache: (x, w, b) from affine_forward, shapes (N, d_1, ..., d_k), (D, M), (M,)

    Returns a tuple of:
    - dx: float64 array of shape (N, d_1, ..., d_k)
    - dw: float64 array of shape (D, M)
    - db: float64 array of shape (M,)
    """
    x, w, b = cache
    dx, dw, db = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement affine_backward (task backprop/affine_backward)")
    return dx, dw, db


def relu_forward(x):
    """Forward pass of a rectified linear unit, max(0, x) element-wise.

    Inputs:
    - x: float64 array of any shape

    Returns a tuple of:
    - out: float64 array of the same shape as x
    - cache: x
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement relu_forward (task backprop/relu_forward)")
    cache = x
    return out, cache


def relu_backward(dout, cache):
    """Backward pass of a ReLU.

    Inputs:
    - dout: float64 array of any shape, upstream gradient
    - cache: x, float64 array of the same shape as dout

    Returns:
    - dx: float64 array of the same shape as dout
    """
    x = cache
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement relu_backward (task backprop/relu_backward)")
    return dx


def leaky_relu_forward(x, alpha=0.01):
    """Forward pass of a leaky ReLU: x where x > 0, alpha * x elsewhere.

    Inputs:
    - x: float64 array of any shape
    - alpha: float, the slope for negative inputs

    Returns a tuple of:
    - out: float64 array of the same shape as x
    - cache: (x, alpha)
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement leaky_relu_forward (task backprop/leaky_relu_forward)")
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    """Backward pass of a leaky ReLU.

    Inputs:
    - dout: float64 array of any shape, upstream gradient
    - cache: (x, alpha) from leaky_relu_forward

    Returns:
    - dx: float64 array of the same shape as dout
    """
    x, alpha = cache
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement leaky_relu_backward (task backprop/leaky_relu_backward)")
    return dx


def prelu_forward(x, alpha):
    """Forward pass of a parametric ReLU with one learnable slope per feature.

    out = x where x > 0, alpha * x elsewhere (alpha broadcast along the last axis).

    Inputs:
    - x: float64 array of shape (N, D) (or (N, ..., D); features on the last axis)
    - alpha: float64 array of shape (D,), the learnable negative slopes

    Returns a tuple of:
    - out: float64 array of the same shape as x
    - cache: (x, alpha)
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement prelu_forward (task backprop/prelu_forward)")
    cache = (x, alpha)
    return out, cache


def prelu_backward(dout, cache):
    """Backward pass of a parametric ReLU.

    Inputs:
    - dout: float64 array of the shape of x, upstream gradient
    - cache: (x, alpha) from prelu_forward, shapes (N, ..., D) and (D,)

    Returns a tuple of:
    - dx: float64 array of the shape of x
    - dalpha: float64 array of shape (D,)
    """
    x, alpha = cache
    dx, dalpha = None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement prelu_backward (task backprop/prelu_backward)")
    return dx, dalpha


def sigmoid_forward(x):
    """Forward pass of the logistic sigmoid 1 / (1 + exp(-x)), numerically stable.

    Computed from exp(-|x|), which never overflows: no warning and no NaN even for
    |x| of 1e4 (exp(-|x|) may underflow to 0, which is the exact float answer).

    Inputs:
    - x: float64 array of any shape

    Returns a tuple of:
    - out: float64 array of the same shape as x, values in [0, 1]
    - cache: out
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement sigmoid_forward (task backprop/sigmoid_forward)")
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    """Backward pass of the sigmoid: dx = dout * s * (1 - s).

    Inputs:
    - dout: float64 array of any shape, upstream gradient
    - cache: out of sigmoid_forward, float64 array of the same shape

    Returns:
    - dx: float64 array of the same shape as dout
    """
    out = cache
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement sigmoid_backward (task backprop/sigmoid_backward)")
    return dx


def tanh_forward(x):
    """Forward pass of the hyperbolic tangent.

    Inputs:
    - x: float64 array of any shape

    Returns a tuple of:
    - out: float64 array of the same shape as x, values in [-1, 1]
    - cache: out
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement tanh_forward (task backprop/tanh_forward)")
    cache = out
    return out, cache


def tanh_backward(dout, cache):
    """Backward pass of tanh: dx = dout * (1 - tanh(x)**2).

    Inputs:
    - dout: float64 array of any shape, upstream gradient
    - cache: out of tanh_forward, float64 array of the same shape

    Returns:
    - dx: float64 array of the same shape as dout
    """
    out = cache
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement tanh_backward (task backprop/tanh_backward)")
    return dx


# --------------------------------------------------------------------------------------
# Normalisation and regularisation
# --------------------------------------------------------------------------------------
def batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of batch normalisation.

    In 'train' mode the batch mean and variance normalise x and update the running
    averages: running = momentum * running + (1 - momentum) * batch statistic.
    In 'test' mode the running averages normalise x. The running averages are stored
    into bn_param (in place) as 'running_mean' and 'running_var'.

    Inputs:
    - x: float64 array of shape (N, D)
    - gamma: float64 array of shape (D,), scale
    - beta: float64 array of shape (D,), shift
    - bn_param: dict with keys
      - mode: 'train' or 'test' (required)
      - eps: float, added to the variance (default 1e-5)
      - momentum: float, for the running averages (default 0.9)
      - running_mean: float64 array of shape (D,) (default zeros)
      - running_var: float64 array of shape (D,) (default zeros)

    Returns a tuple of:
    - out: float64 array of shape (N, D)
    - cache: (x, x_hat, mu, var, std, gamma, eps) in 'train' mode, None in 'test' mode
    """
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))

    out, cache = None, None
    if mode == "train":
        # YOUR CODE HERE
        raise NotImplementedError("Implement batchnorm_forward (task backprop/batchnorm_forward)")
        cache = (x, x_hat, mu, var, std, gamma, eps)
    elif mode == "test":
        # YOUR CODE HERE
        raise NotImplementedError("Implement batchnorm_forward (task backprop/batchnorm_forward)")
    else:
        raise ValueError(f'Invalid forward batchnorm mode "{mode}"')

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalisation (train mode), step by step through the graph.

    Inputs:
    - dout: float64 array of shape (N, D), upstream gradient
    - cache: (x, x_hat, mu, var, std, gamma, eps) from batchnorm_forward

    Returns a tuple of:
    - dx: float64 array of shape (N, D)
    - dgamma: float64 array of shape (D,)
    - dbeta: float64 array of shape (D,)
    """
    x, x_hat, mu, var, std, gamma, eps = cache
    dx, dgamma, dbeta = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement batchnorm_backward (task backprop/batchnorm_backward)")
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    """Backward pass of batch normalisation (train mode) in the simplified closed form.

    dx = gamma / (N * std) * (N * dout - sum(dout) - x_hat * sum(dout * x_hat)).

    Inputs:
    - dout: float64 array of shape (N, D), upstream gradient
    - cache: (x, x_hat, mu, var, std, gamma, eps) from batchnorm_forward

    Returns a tuple of:
    - dx: float64 array of shape (N, D)
    - dgamma: float64 array of shape (D,)
    - dbeta: float64 array of shape (D,)
    """
    x, x_hat, mu, var, std, gamma, eps = cache
    dx, dgamma, dbeta = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement batchnorm_backward_alt (task backprop/batchnorm_backward_alt)")
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    """Forward pass of layer normalisation: each example normalised over its features.

    Same in training and at test time; no running statistics.

    Inputs:
    - x: float64 array of shape (N, D)
    - gamma: float64 array of shape (D,), scale
    - beta: float64 array of shape (D,), shift
    - ln_param: dict with optional key eps (float, default 1e-5)

    Returns a tuple of:
    - out: float64 array of shape (N, D)
    - cache: (x_hat, std, gamma), shapes (N, D), (N, 1), (D,)
    """
    eps = ln_param.get("eps", 1e-5)
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement layernorm_forward (task backprop/layernorm_forward)")
    cache = (x_hat, std, gamma)
    return out, cache


def layernorm_backward(dout, cache):
    """Backward pass of layer normalisation.

    Inputs:
    - dout: float64 array of shape (N, D), upstream gradient
    - cache: (x_hat, std, gamma) from layernorm_forward

    Returns a tuple of:
    - dx: float64 array of shape (N, D)
    - dgamma: float64 array of shape (D,)
    - dbeta: float64 array of shape (D,)
    """
    x_hat, std, gamma = cache
    dx, dgamma, dbeta = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement layernorm_backward (task backprop/layernorm_backward)")
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    """Forward pass of inverted dropout.

    In 'train' mode each unit is kept with probability p and kept units are scaled by
    1 / p, so the expected output equals x; in 'test' mode the input passes unchanged.

    Inputs:
    - x: float64 array of any shape
    - dropout_param: dict with keys
      - p: float in (0, 1], the probability of KEEPING each unit
      - mode: 'train' or 'test'
      - seed: optional int; when given the mask is drawn from
        np.random.default_rng(seed), so the same seed gives the same mask

    Returns a tuple of:
    - out: float64 array of the same shape as x
    - cache: (dropout_param, mask); mask is a float64 array of the shape of x
      ('train' mode) or None ('test' mode)
    """
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = np.random.default_rng(dropout_param.get("seed"))
    mask, out = None, None
    if mode == "train":
        # YOUR CODE HERE
        raise NotImplementedError("Implement dropout_forward (task backprop/dropout_forward)")
    elif mode == "test":
        # YOUR CODE HERE
        raise NotImplementedError("Implement dropout_forward (task backprop/dropout_forward)")
    else:
        raise ValueError(f'Invalid forward dropout mode "{mode}"')
    cache = (dropout_param, mask)
    return out, cache


def dropout_backward(dout, cache):
    """Backward pass of inverted dropout.

    Inputs:
    - dout: float64 array of any shape, upstream gradient
    - cache: (dropout_param, mask) from dropout_forward

    Returns:
    - dx: float64 array of the same shape as dout
    """
    dropout_param, mask = cache
    mode = dropout_param["mode"]
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement dropout_backward (task backprop/dropout_backward)")
    return dx


# --------------------------------------------------------------------------------------
# Losses, clipping and gathering
# --------------------------------------------------------------------------------------
def softmax_loss(x, y):
    """Softmax cross-entropy loss, averaged over the batch.

    Inputs:
    - x: float64 array of shape (N, C); x[i, j] is the score of class j for example i
    - y: int array of shape (N,); y[i] in [0, C) is the label of example i

    Returns a tuple of:
    - loss: float, mean over the N examples of -log softmax(x[i])[y[i]]
    - dx: float64 array of shape (N, C), the gradient of loss with respect to x
    """
    loss, dx = None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement softmax_loss (task backprop/softmax_loss)")
    return loss, dx


def svm_loss(x, y):
    """Multiclass SVM (hinge) loss with margin 1, averaged over the batch.

    Inputs:
    - x: float64 array of shape (N, C); x[i, j] is the score of class j for example i
    - y: int array of shape (N,); y[i] in [0, C) is the label of example i

    Returns a tuple of:
    - loss: float, mean over i of sum_{j != y[i]} max(0, x[i, j] - x[i, y[i]] + 1)
    - dx: float64 array of shape (N, C), the gradient of loss with respect to x
    """
    loss, dx = None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement svm_loss (task backprop/svm_loss)")
    return loss, dx


def mse_loss(x, y):
    """Squared-error loss C = 1/2 * sum((y - x)**2), summed (not averaged) over all entries.

    Inputs:
    - x: float64 array of any shape, the predictions
    - y: float64 array of the same shape as x, the targets

    Returns a tuple of:
    - loss: float
    - dx: float64 array of the shape of x, the gradient of loss with respect to x
    """
    loss, dx = None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement mse_loss (task backprop/mse_loss)")
    return loss, dx


def huber_loss(x, y, delta=1.0):
    """Huber loss, summed over all entries.

    For r = x - y: 1/2 * r**2 where |r| <= delta, delta * (|r| - delta / 2) elsewhere.

    Inputs:
    - x: float64 array of any shape, the predictions
    - y: float64 array of the same shape as x, the targets
    - delta: float > 0, where the loss turns from quadratic to linear

    Returns a tuple of:
    - loss: float
    - dx: float64 array of the shape of x, equal to clip(x - y, -delta, delta)
    """
    loss, dx = None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement huber_loss (task backprop/huber_loss)")
    return loss, dx


def clip_forward(x, lo=-1.0, hi=1.0):
    """Forward pass of clipping by value: out = min(max(x, lo), hi) element-wise.

    Inputs:
    - x: float64 array of any shape
    - lo, hi: floats with lo < hi, the range

    Returns a tuple of:
    - out: float64 array of the same shape as x
    - cache: (x, lo, hi)
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement clip_forward (task backprop/clip_forward)")
    cache = (x, lo, hi)
    return out, cache


def clip_backward(dout, cache):
    """Backward pass of clipping: the gradient passes where lo <= x <= hi, zero elsewhere.

    Inputs:
    - dout: float64 array of any shape, upstream gradient
    - cache: (x, lo, hi) from clip_forward

    Returns:
    - dx: float64 array of the same shape as dout
    """
    x, lo, hi = cache
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement clip_backward (task backprop/clip_backward)")
    return dx


def gather_forward(x, idx):
    """Forward pass of gathering one (or K) entries per row: out = x[arange(N), idx].

    With idx of shape (N, K), out[i, k] = x[i, idx[i, k]]; an index may repeat in a row.

    Inputs:
    - x: float64 array of shape (N, A)
    - idx: int array of shape (N,) or (N, K), values in [0, A)

    Returns a tuple of:
    - out: float64 array of shape (N,) or (N, K), the shape of idx
    - cache: (x.shape, idx)
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement gather_forward (task backprop/gather_forward)")
    cache = (x.shape, idx)
    return out, cache


def gather_backward(dout, cache):
    """Backward pass of gather: scatter-add dout into the gathered positions.

    Repeated indices in a row accumulate (np.add.at), they do not overwrite.

    Inputs:
    - dout: float64 array of the shape of idx, (N,) or (N, K), upstream gradient
    - cache: (x_shape, idx) from gather_forward; x_shape is (N, A)

    Returns:
    - dx: float64 array of shape (N, A)
    """
    x_shape, idx = cache
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement gather_backward (task backprop/gather_backward)")
    return dx


# --------------------------------------------------------------------------------------
# Convolution and pooling (naive loops)
# --------------------------------------------------------------------------------------
def conv_forward_naive(x, w, b, conv_param):
    """Naive forward pass of a convolutional layer (cross-correlation, zero padding).

    Inputs:
    - x: float64 array of shape (N, C, H, W)
    - w: float64 array of shape (F, C, HH, WW), F filters
    - b: float64 array of shape (F,)
    - conv_param: dict with keys
      - stride: int, step between receptive fields (both directions)
      - pad: int, zero-padding added on every side of H and W

    Returns a tuple of:
    - out: float64 array of shape (N, F, H', W') with
      H' = 1 + (H + 2 * pad - HH) // stride, W' = 1 + (W + 2 * pad - WW) // stride
    - cache: (x, w, b, conv_param)
    """
    stride, pad = conv_param["stride"], conv_param["pad"]
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement conv_forward_naive (task backprop/conv_forward_naive)")
    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    """Naive backward pass of a convolutional layer.

    Inputs:
    - dout: float64 array of shape (N, F, H', W'), upstream gradient
    - cache: (x, w, b, conv_param) from conv_forward_naive

    Returns a tuple of:
    - dx: float64 array of shape (N, C, H, W)
    - dw: float64 array of shape (F, C, HH, WW)
    - db: float64 array of shape (F,)
    """
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    dx, dw, db = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError("Implement conv_backward_naive (task backprop/conv_backward_naive)")
    return dx, dw, db


def max_pool_forward_naive(x, pool_param):
    """Naive forward pass of max pooling (no padding; windows may overlap).

    Inputs:
    - x: float64 array of shape (N, C, H, W)
    - pool_param: dict with keys pool_height, pool_width, stride (ints)

    Returns a tuple of:
    - out: float64 array of shape (N, C, H', W') with
      H' = 1 + (H - pool_height) // stride, W' = 1 + (W - pool_width) // stride
    - cache: (x, pool_param)
    """
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    out = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement max_pool_forward_naive (task backprop/max_pool_forward_naive)")
    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    """Naive backward pass of max pooling.

    Each window sends its gradient to its maximum (the first one in row-major order on
    ties); where windows overlap, the gradients ACCUMULATE.

    Inputs:
    - dout: float64 array of shape (N, C, H', W'), upstream gradient
    - cache: (x, pool_param) from max_pool_forward_naive

    Returns:
    - dx: float64 array of shape (N, C, H, W)
    """
    x, pool_param = cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError("Implement max_pool_backward_naive (task backprop/max_pool_backward_naive)")
    return dx
