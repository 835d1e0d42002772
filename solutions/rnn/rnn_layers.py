"""Recurrent layers for the rnn assignment, in the CS231n convention (numpy only).

Forward functions return (out, cache) (the LSTM step returns (next_h, next_c, cache));
backward functions take the upstream gradients and the cache and return the gradients
of the forward's differentiable inputs in argument order. All arrays are float64 except
integer word indices and labels.
"""
import numpy as np


def _sigmoid(x):
    """Logistic sigmoid of a float64 array of any shape (helper), written through tanh:
    sigmoid(x) = (1 + tanh(x / 2)) / 2, which never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One timestep of a vanilla RNN: next_h = tanh(x @ Wx + prev_h @ Wh + b).

    Inputs:
    - x: float64 array of shape (N, D), the input at this timestep
    - prev_h: float64 array of shape (N, H), the previous hidden state
    - Wx: float64 array of shape (D, H), input-to-hidden weights
    - Wh: float64 array of shape (H, H), hidden-to-hidden weights
    - b: float64 array of shape (H,), biases

    Returns a tuple of:
    - next_h: float64 array of shape (N, H)
    - cache: (x, prev_h, Wx, Wh, next_h)
    """
    next_h = None
    ### BEGIN SOLUTION
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    ### END SOLUTION
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache


def rnn_step_backward(dnext_h, cache):
    """Backward pass of one vanilla RNN timestep.

    Inputs:
    - dnext_h: float64 array of shape (N, H), gradient of the loss w.r.t. next_h
    - cache: (x, prev_h, Wx, Wh, next_h) from rnn_step_forward

    Returns a tuple of:
    - dx: float64 array of shape (N, D)
    - dprev_h: float64 array of shape (N, H)
    - dWx: float64 array of shape (D, H)
    - dWh: float64 array of shape (H, H)
    - db: float64 array of shape (H,)
    """
    x, prev_h, Wx, Wh, next_h = cache
    dx, dprev_h, dWx, dWh, db = None, None, None, None, None
    ### BEGIN SOLUTION
    da = dnext_h * (1.0 - next_h**2)
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    ### END SOLUTION
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b):
    """A vanilla RNN over a whole sequence of T timesteps.

    Inputs:
    - x: float64 array of shape (N, T, D), the input sequence
    - h0: float64 array of shape (N, H), the initial hidden state
    - Wx: float64 array of shape (D, H)
    - Wh: float64 array of shape (H, H)
    - b: float64 array of shape (H,)

    Returns a tuple of:
    - h: float64 array of shape (N, T, H), the hidden states of every timestep
    - cache: list of the T step caches
    """
    h, step_caches = None, []
    ### BEGIN SOLUTION
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]), dtype=x.dtype)
    prev_h = h0
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        step_caches.append(step_cache)
    ### END SOLUTION
    cache = step_caches
    return h, cache


def rnn_backward(dh, cache):
    """Backpropagation through time for a vanilla RNN.

    Inputs:
    - dh: float64 array of shape (N, T, H), upstream gradients of all hidden states
      (not including the gradients that flow from one timestep to the next)
    - cache: list of T step caches from rnn_forward

    Returns a tuple of:
    - dx: float64 array of shape (N, T, D)
    - dh0: float64 array of shape (N, H)
    - dWx: float64 array of shape (D, H)
    - dWh: float64 array of shape (H, H)
    - db: float64 array of shape (H,)
    """
    dx, dh0, dWx, dWh, db = None, None, None, None, None
    ### BEGIN SOLUTION
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D), dtype=dh.dtype)
    dWx, dWh, db = np.zeros((D, H)), np.zeros((H, H)), np.zeros(H)
    dprev_h = np.zeros((N, H), dtype=dh.dtype)
    for t in reversed(range(T)):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t, :] + dprev_h, cache[t])
        dx[:, t, :] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dprev_h
    ### END SOLUTION
    return dx, dh0, dWx, dWh, db


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One timestep of an LSTM.

    a = x @ Wx + prev_h @ Wh + b is split into four (N, H) blocks in the order
    input i, forget f, output o, block g; next_c = f * prev_c + i * g with
    i, f, o = sigmoid(.) and g = tanh(.); next_h = o * tanh(next_c).

    Inputs:
    - x: float64 array of shape (N, D)
    - prev_h: float64 array of shape (N, H)
    - prev_c: float64 array of shape (N, H)
    - Wx: float64 array of shape (D, 4H)
    - Wh: float64 array of shape (H, 4H)
    - b: float64 array of shape (4H,)

    Returns a tuple of:
    - next_h: float64 array of shape (N, H)
    - next_c: float64 array of shape (N, H)
    - cache: (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)
    """
    next_h, next_c = None, None
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    i = _sigmoid(a[:, :H])
    f = _sigmoid(a[:, H:2 * H])
    o = _sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    ### END SOLUTION
    cache = (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of one LSTM timestep.

    Inputs:
    - dnext_h: float64 array of shape (N, H), gradient w.r.t. next_h
    - dnext_c: float64 array of shape (N, H), gradient w.r.t. next_c
    - cache: (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c) from lstm_step_forward

    Returns a tuple of:
    - dx: float64 array of shape (N, D)
    - dprev_h: float64 array of shape (N, H)
    - dprev_c: float64 array of shape (N, H)
    - dWx: float64 array of shape (D, 4H)
    - dWh: float64 array of shape (H, 4H)
    - db: float64 array of shape (4H,)
    """
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    dx, dprev_h, dprev_c, dWx, dWh, db = None, None, None, None, None, None
    ### BEGIN SOLUTION
    tanh_c = np.tanh(next_c)
    dc = dnext_c + dnext_h * o * (1.0 - tanh_c**2)
    di, df, do, dg = dc * g, dc * prev_c, dnext_h * tanh_c, dc * i
    da = np.concatenate(
        [di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g**2)], axis=1
    )
    dprev_c = dc * f
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    ### END SOLUTION
    return dx, dprev_h, dprev_c, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    """An LSTM over a whole sequence; the initial cell state is zero.

    Inputs:
    - x: float64 array of shape (N, T, D)
    - h0: float64 array of shape (N, H), the initial hidden state
    - Wx: float64 array of shape (D, 4H)
    - Wh: float64 array of shape (H, 4H)
    - b: float64 array of shape (4H,)

    Returns a tuple of:
    - h: float64 array of shape (N, T, H)
    - cache: list of the T step caches
    """
    h, step_caches = None, []
    ### BEGIN SOLUTION
    N, T, _ = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H), dtype=x.dtype)
    prev_h, prev_c = h0, np.zeros_like(h0)
    for t in range(T):
        prev_h, prev_c, step_cache = lstm_step_forward(x[:, t, :], prev_h, prev_c, Wx, Wh, b)
        h[:, t, :] = prev_h
        step_caches.append(step_cache)
    ### END SOLUTION
    cache = step_caches
    return h, cache


def lstm_backward(dh, cache):
    """Backpropagation through time for an LSTM.

    Inputs:
    - dh: float64 array of shape (N, T, H), upstream gradients of all hidden states
    - cache: list of T step caches from lstm_forward

    Returns a tuple of:
    - dx: float64 array of shape (N, T, D)
    - dh0: float64 array of shape (N, H)
    - dWx: float64 array of shape (D, 4H)
    - dWh: float64 array of shape (H, 4H)
    - db: float64 array of shape (4H,)
    """
    dx, dh0, dWx, dWh, db = None, None, None, None, None
    ### BEGIN SOLUTION
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D), dtype=dh.dtype)
    dWx, dWh, db = np.zeros((D, 4 * H)), np.zeros((H, 4 * H)), np.zeros(4 * H)
    dprev_h = np.zeros((N, H), dtype=dh.dtype)
    dprev_c = np.zeros((N, H), dtype=dh.dtype)
    for t in reversed(range(T)):
        dx_t, dprev_h, dprev_c, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, t, :] + dprev_h, dprev_c, cache[t]
        )
        dx[:, t, :] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dprev_h
    ### END SOLUTION
    return dx, dh0, dWx, dWh, db


def word_embedding_forward(x, W):
    """Look up word vectors: out[n, t] = W[x[n, t]].

    Inputs:
    - x: int array of shape (N, T), word indices in [0, V)
    - W: float64 array of shape (V, D), the word vectors

    Returns a tuple of:
    - out: float64 array of shape (N, T, D)
    - cache: (x, W.shape)
    """
    out = None
    ### BEGIN SOLUTION
    out = W[x]
    ### END SOLUTION
    cache = (x, W.shape)
    return out, cache


def word_embedding_backward(dout, cache):
    """Backward pass of the word embedding; a word used several times accumulates.

    Inputs:
    - dout: float64 array of shape (N, T, D), upstream gradient
    - cache: (x, W_shape) from word_embedding_forward; W_shape is (V, D)

    Returns:
    - dW: float64 array of shape (V, D)
    """
    x, W_shape = cache
    dW = None
    ### BEGIN SOLUTION
    dW = np.zeros(W_shape, dtype=dout.dtype)
    np.add.at(dW, x, dout)
    ### END SOLUTION
    return dW


def temporal_affine_forward(x, w, b):
    """The same affine layer applied at every timestep.

    Inputs:
    - x: float64 array of shape (N, T, D)
    - w: float64 array of shape (D, M)
    - b: float64 array of shape (M,)

    Returns a tuple of:
    - out: float64 array of shape (N, T, M)
    - cache: (x, w, b, out)
    """
    out = None
    ### BEGIN SOLUTION
    out = x @ w + b
    ### END SOLUTION
    cache = (x, w, b, out)
    return out, cache


def temporal_affine_backward(dout, cache):
    """Backward pass of temporal_affine_forward.

    Inputs:
    - dout: float64 array of shape (N, T, M), upstream gradient
    - cache: (x, w, b, out) from temporal_affine_forward

    Returns a tuple of:
    - dx: float64 array of shape (N, T, D)
    - dw: float64 array of shape (D, M)
    - db: float64 array of shape (M,)
    """
    x, w, b, out = cache
    dx, dw, db = None, None, None
    ### BEGIN SOLUTION
    D, M = w.shape
    dx = dout @ w.T
    dw = x.reshape(-1, D).T @ dout.reshape(-1, M)
    db = dout.sum(axis=(0, 1))
    ### END SOLUTION
    return dx, dw, db


def temporal_softmax_loss(x, y, mask, verbose=False):
    """Softmax loss over a sequence, counting only the masked-in timesteps.

    loss = sum over (n, t) with mask[n, t] of -log softmax(x[n, t])[y[n, t]], divided by N.

    Inputs:
    - x: float64 array of shape (N, T, V), scores over a vocabulary of V words
    - y: int array of shape (N, T), labels in [0, V)
    - mask: bool array of shape (N, T); False timesteps add nothing to the loss
    - verbose: bool, prints the shape of dx when True (CS231n compatibility)

    Returns a tuple of:
    - loss: float
    - dx: float64 array of shape (N, T, V), zero at masked-out timesteps
    """
    loss, dx = None, None
    ### BEGIN SOLUTION
    N, T, V = x.shape
    x_flat, y_flat, mask_flat = x.reshape(N * T, V), y.reshape(N * T), mask.reshape(N * T)
    shifted = x_flat - x_flat.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N * T)
    loss = -np.sum(mask_flat * log_probs[rows, y_flat]) / N
    dx_flat = np.exp(log_probs)
    dx_flat[rows, y_flat] -= 1
    dx_flat *= mask_flat[:, None] / N
    if verbose:
        print("dx_flat: ", dx_flat.shape)
    dx = dx_flat.reshape(N, T, V)
    ### END SOLUTION
    return loss, dx


def clip_grad_norm(grads, max_norm):
    """Clip a set of gradients by their global L2 norm.

    total_norm = sqrt(sum over arrays of sum(g**2)); when total_norm > max_norm every
    array is scaled by max_norm / total_norm, so the clipped set has norm max_norm and
    keeps its direction; otherwise the arrays are returned unchanged (as copies).
    The input dict and its arrays are never modified.

    Inputs:
    - grads: dict mapping str names to float64 arrays of any shapes
    - max_norm: float > 0

    Returns a tuple of:
    - clipped: dict with the same keys, float64 arrays of the same shapes (new arrays)
    - total_norm: float, the global norm of grads before clipping
    """
    clipped, total_norm = None, None
    ### BEGIN SOLUTION
    total_norm = float(np.sqrt(sum(float(np.sum(g**2)) for g in grads.values())))
    scale = max_norm / total_norm if total_norm > max_norm else 1.0
    clipped = {name: g * scale for name, g in grads.items()}
    ### END SOLUTION
    return clipped, total_norm
