# CORRECT: all
# WRONG: sigmoid_forward softmax_loss
# NOTE: imports scipy (which the course does not install) for expit and logsumexp, used
# only in sigmoid_forward and softmax_loss, which fail naming it (the rest is graded); a
# layernorm backward that reuses its cached arrays in place; dropout from default_rng with a
# binomial mask; gather backward by np.bincount; prints whole arrays while debugging.
import numpy as np
from scipy.special import expit, logsumexp


def relu_forward(x):
    out = np.clip(x, 0, None)
    print("relu out", out)
    return out, x


def relu_backward(dout, cache):
    return np.where(cache > 0, dout, 0.0)


def sigmoid_forward(x):
    s = expit(x)
    return s, s


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    xc = x - x.mean(axis=1, keepdims=True)
    std = np.sqrt((xc ** 2).mean(axis=1, keepdims=True) + eps)
    xhat = xc / std
    return gamma * xhat + beta, {"xhat": xhat, "std": std, "gamma": gamma}


def layernorm_backward(dout, cache):
    xhat, std, gamma = cache["xhat"], cache["std"], cache["gamma"]
    D = xhat.shape[1]
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    g = dout * gamma
    proj = np.sum(g * xhat, axis=1, keepdims=True)
    xhat *= proj            # reuses the cached array as scratch space
    dx = (D * g - g.sum(axis=1, keepdims=True) - xhat) / (D * std)
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    p = dropout_param["p"]
    rng = np.random.default_rng(dropout_param.get("seed"))
    if dropout_param["mode"] == "train":
        mask = rng.binomial(1, p, size=x.shape) / p
        return x * mask, (dropout_param, mask)
    return x.copy(), (dropout_param, None)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    return dout * mask if dropout_param["mode"] == "train" else dout


def softmax_loss(x, y):
    N = x.shape[0]
    logp = x - logsumexp(x, axis=1, keepdims=True)
    loss = -logp[np.arange(N), y].mean()
    dx = np.exp(logp)
    dx[np.arange(N), y] -= 1
    return loss, dx / N


def mse_loss(x, y):
    return 0.5 * np.sum(np.square(x - y)), x - y


def huber_loss(x, y, delta=1.0):
    r = x - y
    c = np.clip(r, -delta, delta)
    loss = np.sum(c * (r - 0.5 * c))
    return loss, c


def gather_forward(x, idx):
    N = x.shape[0]
    if idx.ndim == 1:
        return x[np.arange(N), idx], (x.shape, idx)
    return x[np.arange(N)[:, None], idx], (x.shape, idx)


def gather_backward(dout, cache):
    (N, A), idx = cache
    rows = np.arange(N).reshape((N,) + (1,) * (idx.ndim - 1))
    flat = (rows * A + idx).ravel()
    return np.bincount(flat, weights=dout.ravel(), minlength=N * A).reshape(N, A)
