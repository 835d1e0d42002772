"""Gradients that must accumulate: overlapping pooling windows, repeated gather / embedding
indices; and max-pool tie routing."""

import numpy as np


def test_overlapping_pool_windows_accumulate_gradient(layers):
    # one dominant element inside all four 2x2 windows of a 3x3 input (stride 1)
    x = np.arange(9, dtype=np.float64).reshape(1, 1, 3, 3) * 0.01
    x[0, 0, 1, 1] = 5.0
    out, cache = layers.max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 1})
    assert out.shape == (1, 1, 2, 2) and np.all(out == 5.0)
    dout = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dx = layers.max_pool_backward_naive(dout, cache)
    expected = np.zeros_like(x)
    expected[0, 0, 1, 1] = 10.0
    np.testing.assert_array_equal(dx, expected)


def test_max_pool_ties_route_to_the_first_maximum(layers):
    x = np.zeros((1, 1, 2, 2))
    out, cache = layers.max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    dx = layers.max_pool_backward_naive(np.ones((1, 1, 1, 1)), cache)
    np.testing.assert_array_equal(dx, [[[[1.0, 0.0], [0.0, 0.0]]]])


def test_pool_and_conv_output_shapes_on_non_square_strided_inputs(layers, rng):
    x = rng.standard_normal((2, 3, 7, 6))
    out, _ = layers.max_pool_forward_naive(x, {"pool_height": 3, "pool_width": 2, "stride": 2})
    assert out.shape == (2, 3, 3, 3)
    w = rng.standard_normal((4, 3, 3, 2))
    out, _ = layers.conv_forward_naive(x, w, np.zeros(4), {"stride": 2, "pad": 1})
    assert out.shape == (2, 4, 4, 4)


def test_conv_matches_a_direct_sum(layers, rng):
    x, w, b = rng.standard_normal((1, 2, 4, 5)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
    out, _ = layers.conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    f, i, j = 2, 1, 2
    direct = np.sum(xp[0, :, 2 * i:2 * i + 3, 2 * j:2 * j + 2] * w[f]) + b[f]
    assert abs(out[0, f, i, j] - direct) < 1e-12


def test_gather_repeated_indices_accumulate(layers):
    x = np.arange(8, dtype=np.float64).reshape(2, 4)
    idx = np.array([[1, 1, 3], [0, 2, 0]])
    out, cache = layers.gather_forward(x, idx)
    np.testing.assert_array_equal(out, [[1, 1, 3], [4, 6, 4]])
    dx = layers.gather_backward(np.array([[1.0, 2.0, 4.0], [8.0, 16.0, 32.0]]), cache)
    np.testing.assert_array_equal(dx, [[0, 3, 0, 4], [40, 0, 16, 0]])


def test_gather_one_index_per_row_is_q_of_a(layers, rng):
    q = rng.standard_normal((5, 3))
    a = np.array([2, 0, 1, 1, 2])
    out, cache = layers.gather_forward(q, a)
    np.testing.assert_array_equal(out, q[np.arange(5), a])
    dx = layers.gather_backward(np.ones(5), cache)
    np.testing.assert_array_equal(dx, np.eye(3)[a])


def test_word_embedding_repeated_words_accumulate(rnn_layers, rng):
    W = rng.standard_normal((4, 3))
    x = np.array([[0, 2, 0], [2, 2, 1]])
    out, cache = rnn_layers.word_embedding_forward(x, W)
    np.testing.assert_array_equal(out, W[x])
    dout = rng.standard_normal((2, 3, 3))
    dW = rnn_layers.word_embedding_backward(dout, cache)
    np.testing.assert_allclose(dW[0], dout[0, 0] + dout[0, 2])
    np.testing.assert_allclose(dW[2], dout[0, 1] + dout[1, 0] + dout[1, 1])
    np.testing.assert_allclose(dW[1], dout[1, 2])
    np.testing.assert_array_equal(dW[3], 0)
