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
    # YOUR CODE HERE
    raise NotImplementedError("Implement rnn_step_forward (task rnn/rnn_step_forward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement rnn_step_backward (task rnn/rnn_step_backward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement rnn_forward (task rnn/rnn_forward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement rnn_backward (task rnn/rnn_backward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement lstm_step_forward (task rnn/lstm_step_forward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement lstm_step_backward (task rnn/lstm_step_backward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement lstm_forward (task rnn/lstm_forward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement lstm_backward (task rnn/lstm_backward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement word_embedding_forward (task rnn/word_embedding_forward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement word_embedding_backward (task rnn/word_embedding_backward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement temporal_affine_forward (task rnn/temporal_affine_forward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement temporal_affine_backward (task rnn/temporal_affine_backward)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement temporal_softmax_loss (task rnn/temporal_softmax_loss)")
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
    # YOUR CODE HERE
    raise NotImplementedError("Implement clip_grad_norm (task rnn/clip_grad_norm)")
    return clipped, total_norm
