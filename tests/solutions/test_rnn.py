"""Recurrent references: BPTT reaches h0, masks zero their steps, clip_grad_norm bounds the norm."""

import numpy as np
import pytest


def test_rnn_forward_is_the_step_applied_in_sequence(rnn_layers, rng):
    x, h0 = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 5))
    Wx, Wh, b = rng.standard_normal((3, 5)), rng.standard_normal((5, 5)) * 0.3, rng.standard_normal(5)
    h, _ = rnn_layers.rnn_forward(x, h0, Wx, Wh, b)
    prev = h0
    for t in range(4):
        prev = np.tanh(x[:, t] @ Wx + prev @ Wh + b)
        np.testing.assert_allclose(h[:, t], prev, rtol=1e-12)


def test_rnn_gradient_from_the_last_step_reaches_h0(rnn_layers, rng):
    x, h0 = rng.standard_normal((1, 6, 2)), rng.standard_normal((1, 3))
    Wx, Wh, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 3)) * 0.5, np.zeros(3)
    h, cache = rnn_layers.rnn_forward(x, h0, Wx, Wh, b)
    dh = np.zeros_like(h)
    dh[:, -1] = 1.0                  # only the last hidden state is used
    dx, dh0, *_ = rnn_layers.rnn_backward(dh, cache)
    assert np.all(np.abs(dh0) > 0)   # BPTT carried the gradient back through all six steps
    assert np.all(np.abs(dx[:, 0]) > 0)


def test_lstm_initial_cell_state_is_zero(rnn_layers, rng):
    x, h0 = rng.standard_normal((2, 1, 3)), rng.standard_normal((2, 4))
    Wx, Wh, b = rng.standard_normal((3, 16)), rng.standard_normal((4, 16)), rng.standard_normal(16)
    h, _ = rnn_layers.lstm_forward(x, h0, Wx, Wh, b)
    step_h, _, _ = rnn_layers.lstm_step_forward(x[:, 0], h0, np.zeros((2, 4)), Wx, Wh, b)
    np.testing.assert_allclose(h[:, 0], step_h, rtol=1e-12)


def test_temporal_softmax_loss_ignores_masked_steps(rnn_layers, rng):
    x, y = rng.standard_normal((3, 5, 4)), rng.integers(0, 4, size=(3, 5))
    mask = np.ones((3, 5), dtype=bool)
    mask[:, 3:] = False
    loss, dx = rnn_layers.temporal_softmax_loss(x, y, mask)
    np.testing.assert_array_equal(dx[:, 3:], 0)
    # changing the scores or labels at masked steps changes nothing
    x2, y2 = x.copy(), y.copy()
    x2[:, 3:] = rng.standard_normal((3, 2, 4)) * 10
    y2[:, 3:] = (y[:, 3:] + 1) % 4
    loss2, dx2 = rnn_layers.temporal_softmax_loss(x2, y2, mask)
    assert loss2 == pytest.approx(loss, rel=1e-14)
    np.testing.assert_allclose(dx2, dx, rtol=1e-14)
    # the sum over counted steps is divided by N, not by the number of counted steps
    logp = x - np.log(np.exp(x).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(logp, y[..., None], axis=2)[..., 0]
    assert loss == pytest.approx(-picked[:, :3].sum() / 3, rel=1e-12)


def _norm(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads.values()))


def test_clip_grad_norm_scales_a_large_set_to_max_norm_keeping_direction(rnn_layers, rng):
    grads = {"Wx": rng.standard_normal((4, 5)) * 10, "b": rng.standard_normal(5) * 10}
    before = {k: v.copy() for k, v in grads.items()}
    clipped, total = rnn_layers.clip_grad_norm(grads, 1.0)
    assert total == pytest.approx(_norm(before), rel=1e-12)
    assert _norm(clipped) == pytest.approx(1.0, rel=1e-12)
    for k in grads:
        np.testing.assert_allclose(clipped[k], before[k] / total, rtol=1e-12)
        np.testing.assert_array_equal(grads[k], before[k])        # the input is not mutated
        assert clipped[k] is not grads[k]


def test_clip_grad_norm_leaves_small_gradients_untouched(rnn_layers, rng):
    grads = {"a": rng.standard_normal(3) * 0.01, "b": rng.standard_normal((2, 2)) * 0.01}
    clipped, total = rnn_layers.clip_grad_norm(grads, 5.0)
    assert total == pytest.approx(_norm(grads), rel=1e-12) and total < 5.0
    for k in grads:
        np.testing.assert_array_equal(clipped[k], grads[k])


def test_clip_grad_norm_uses_the_global_norm_not_per_array(rnn_layers):
    grads = {"a": np.array([3.0]), "b": np.array([4.0])}     # each below 4.5, together 5
    clipped, total = rnn_layers.clip_grad_norm(grads, 4.5)
    assert total == 5.0
    np.testing.assert_allclose([clipped["a"][0], clipped["b"][0]], [3 * 0.9, 4 * 0.9])
