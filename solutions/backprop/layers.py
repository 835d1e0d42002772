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
    ### BEGIN SOLUTION
    out = x.reshape(x.shape[0], -1) @ w + b
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    out = np.maximum(0, x)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    dx = dout * (x > 0)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    out = np.where(x > 0, x, alpha * x)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    dx = np.where(x > 0, dout, alpha * dout)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    out = np.where(x > 0, x, alpha * x)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    negative = x <= 0
    dx = np.where(negative, alpha * dout, dout)
    dalpha = (dout * x * negative).reshape(-1, x.shape[-1]).sum(axis=0)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    with np.errstate(under="ignore"):
        dx = dout * out * (1.0 - out)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    out = np.tanh(x)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    dx = dout * (1.0 - out**2)
    ### END SOLUTION
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
        ### BEGIN SOLUTION
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        std = np.sqrt(var + eps)
        x_hat = (x - mu) / std
        out = gamma * x_hat + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
        ### END SOLUTION
        cache = (x, x_hat, mu, var, std, gamma, eps)
    elif mode == "test":
        ### BEGIN SOLUTION
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        ### END SOLUTION
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
    ### BEGIN SOLUTION
    N = x.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    xmu = x - mu
    dvar = (dx_hat * xmu).sum(axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = -(dx_hat / std).sum(axis=0) + dvar * (-2.0 / N) * xmu.sum(axis=0)
    dx = dx_hat / std + dvar * 2.0 * xmu / N + dmu / N
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    N = x.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = gamma / (N * std) * (N * dout - dbeta - x_hat * dgamma)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    mu = x.mean(axis=1, keepdims=True)
    std = np.sqrt(x.var(axis=1, keepdims=True) + eps)
    x_hat = (x - mu) / std
    out = gamma * x_hat + beta
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    D = x_hat.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (D * dx_hat - dx_hat.sum(axis=1, keepdims=True)
          - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True)) / (D * std)
    ### END SOLUTION
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
        ### BEGIN SOLUTION
        mask = (rng.random(x.shape) < p) / p
        out = x * mask
        ### END SOLUTION
    elif mode == "test":
        ### BEGIN SOLUTION
        out = x.copy()
        ### END SOLUTION
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
    ### BEGIN SOLUTION
    dx = dout * mask if mode == "train" else dout.copy()
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].sum() / N
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    dx /= N
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    N = x.shape[0]
    correct = x[np.arange(N), y][:, None]
    margins = np.maximum(0, x - correct + 1.0)
    margins[np.arange(N), y] = 0
    loss = margins.sum() / N
    dx = (margins > 0).astype(x.dtype)
    dx[np.arange(N), y] -= dx.sum(axis=1)
    dx /= N
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    diff = x - y
    loss = 0.5 * float(np.sum(diff**2))
    dx = diff
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    r = x - y
    a = np.abs(r)
    loss = float(np.sum(np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta))))
    dx = np.clip(r, -delta, delta)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    out = np.clip(x, lo, hi)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    dx = dout * ((x >= lo) & (x <= hi))
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    rows = np.arange(x.shape[0]).reshape((-1,) + (1,) * (idx.ndim - 1))
    out = x[rows, idx]
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    dx = np.zeros(x_shape, dtype=dout.dtype)
    rows = np.arange(x_shape[0]).reshape((-1,) + (1,) * (idx.ndim - 1))
    np.add.at(dx, (np.broadcast_to(rows, idx.shape), idx), dout)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    H, W = x.shape[2:]
    HH, WW = w.shape[2:]
    H_out, W_out = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * stride, j * stride
            window = xp[:, :, hs:hs + HH, ws:ws + WW]
            g = dout[:, :, i, j]  # (N, F)
            dw += np.tensordot(g, window, axes=([0], [0]))
            dxp[:, :, hs:hs + HH, ws:ws + WW] += np.tensordot(g, w, axes=([1], [0]))
    dx = dxp[:, :, pad:pad + H, pad:pad + W]
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    H_out = 1 + (H - ph) // stride
    W_out = 1 + (W - pw) // stride
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw]
            out[:, :, i, j] = window.max(axis=(2, 3))
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    N, C = x.shape[:2]
    H_out, W_out = dout.shape[2:]
    dx = np.zeros_like(x)
    n_idx, c_idx = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * stride, j * stride
            window = x[:, :, hs:hs + ph, ws:ws + pw].reshape(N, C, -1)
            k = window.argmax(axis=2)  # first maximum on ties
            np.add.at(dx, (n_idx, c_idx, hs + k // pw, ws + k % pw), dout[:, :, i, j])
    ### END SOLUTION
    return dx
