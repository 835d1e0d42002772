# CORRECT: all
# NOTE: dtype-preserving code: buffers preallocated with dtype=x.dtype and filled with [:] =,
# results cast back with astype; vectorised pooling over as_strided windows with argmax and
# np.unravel_index, scattered back with np.add.at.
import numpy as np


def affine_forward(x, w, b):
    N = x.shape[0]
    out = np.zeros((N, w.shape[1]), dtype=x.dtype)
    out[:] = x.reshape(N, -1) @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = np.zeros(x.shape, dtype=x.dtype)
    dx[:] = (dout @ w.T).reshape(x.shape)
    dw = np.zeros(w.shape, dtype=x.dtype)
    dw[:] = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0).astype(x.dtype)
    return dx, dw, db


def relu_forward(x):
    return np.maximum(x, 0).astype(x.dtype), x


def relu_backward(dout, cache):
    return (dout * (cache > 0)).astype(dout.dtype)


def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    Ho, Wo = (H - ph) // s + 1, (W - pw) // s + 1
    sn, sc, sh, sw = x.strides
    win = np.lib.stride_tricks.as_strided(x, (N, C, Ho, Wo, ph, pw),
                                          (sn, sc, sh * s, sw * s, sh, sw))
    flat = win.reshape(N, C, Ho, Wo, ph * pw)
    arg = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0].astype(x.dtype)
    return out, (x.shape, arg, pool_param)


def max_pool_backward_naive(dout, cache):
    shape, arg, pool_param = cache
    pw, s = pool_param["pool_width"], pool_param["stride"]
    N, C, Ho, Wo = dout.shape
    r, c = np.unravel_index(arg, (pool_param["pool_height"], pw))
    rows = r + (np.arange(Ho) * s)[None, None, :, None]
    cols = c + (np.arange(Wo) * s)[None, None, None, :]
    n = np.arange(N)[:, None, None, None]
    ch = np.arange(C)[None, :, None, None]
    dx = np.zeros(shape, dtype=dout.dtype)
    np.add.at(dx, (np.broadcast_to(n, arg.shape), np.broadcast_to(ch, arg.shape), rows, cols),
              dout)
    return dx
