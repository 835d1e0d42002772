"""Sigmoid and tanh: the identities and the stability the seeds rely on."""

import math
import warnings

import numpy as np
import pytest


def test_tanh_equals_2_sigmoid_2x_minus_1(layers, rng):
    x = rng.uniform(-20, 20, size=(7, 9))
    t, _ = layers.tanh_forward(x)
    s, _ = layers.sigmoid_forward(2 * x)
    np.testing.assert_allclose(t, 2 * s - 1, rtol=0, atol=1e-14)


def test_tanh_local_gradient_equals_4_sigmoid_local_gradient_at_2x(layers, rng):
    # d/dx [2 sigma(2x) - 1] = 4 sigma'(2x): the backward passes agree as well
    x = rng.uniform(-5, 5, size=(4, 6))
    ones = np.ones_like(x)
    dt = layers.tanh_backward(ones, layers.tanh_forward(x)[1])
    ds = layers.sigmoid_backward(ones, layers.sigmoid_forward(2 * x)[1])
    np.testing.assert_allclose(dt, 4 * ds, rtol=1e-12, atol=1e-14)


def test_sigmoid_local_gradient_peaks_at_a_quarter_where_output_is_half(layers):
    z = np.linspace(-10, 10, 2001)          # includes z = 0 exactly
    out, cache = layers.sigmoid_forward(z)
    local = layers.sigmoid_backward(np.ones_like(z), cache)
    peak = np.argmax(local)
    assert z[peak] == 0.0
    assert out[peak] == 0.5
    assert local[peak] == 0.25
    assert np.all(local <= 0.25)


@pytest.mark.parametrize("magnitude", [40.0, 710.0, 1e4])
def test_sigmoid_is_stable_for_large_inputs(layers, magnitude):
    z = np.array([-magnitude, -1.0, 0.0, 1.0, magnitude])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            out, cache = layers.sigmoid_forward(z)
            dz = layers.sigmoid_backward(np.ones_like(z), cache)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dz))
    assert out[0] == pytest.approx(math.exp(-magnitude), rel=1e-12) and out[-1] == 1.0
    np.testing.assert_allclose(out[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-15)
    assert np.all((out >= 0) & (out <= 1))
    assert np.all(dz >= 0) and dz[0] == pytest.approx(0.0, abs=1e-12)


def test_sigmoid_is_symmetric(layers, rng):
    z = rng.uniform(-40, 40, size=100)
    np.testing.assert_allclose(layers.sigmoid_forward(z)[0] + layers.sigmoid_forward(-z)[0],
                               1.0, rtol=0, atol=1e-15)


def test_leaky_relu_and_prelu_agree_with_their_definitions(layers, rng):
    x = rng.standard_normal((5, 4))
    out, _ = layers.leaky_relu_forward(x)
    np.testing.assert_array_equal(out, np.where(x > 0, x, 0.01 * x))
    alpha = rng.uniform(0.1, 0.3, size=4)
    out, cache = layers.prelu_forward(x, alpha)
    np.testing.assert_array_equal(out, np.where(x > 0, x, alpha * x))
    dx, dalpha = layers.prelu_backward(np.ones_like(x), cache)
    np.testing.assert_allclose(dalpha, np.where(x > 0, 0, x).sum(axis=0))
    assert dalpha.shape == alpha.shape


def test_clip_backward_passes_gradient_only_inside_the_range(layers):
    x = np.array([-3.0, -1.0, -0.5, 0.0, 0.99, 1.0, 1.01, 5.0])
    out, cache = layers.clip_forward(x)
    np.testing.assert_array_equal(out, np.clip(x, -1, 1))
    dx = layers.clip_backward(np.full_like(x, 2.0), cache)
    np.testing.assert_array_equal(dx, [0, 2, 2, 2, 2, 2, 0, 0])


def test_huber_gradient_is_the_clipped_residual(layers, rng):
    x, y = rng.normal(0, 3, size=(6, 5)), rng.normal(0, 3, size=(6, 5))
    for delta in (1.0, 0.3):
        loss, dx = layers.huber_loss(x, y, delta=delta)
        np.testing.assert_array_equal(dx, np.clip(x - y, -delta, delta))
        r = np.abs(x - y)
        assert loss == pytest.approx(np.sum(np.where(r <= delta, r**2 / 2, delta * (r - delta / 2))))


def test_mse_loss_is_half_the_sum_not_the_mean(layers, rng):
    x, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    loss, dx = layers.mse_loss(x, y)
    assert loss == pytest.approx(0.5 * np.sum((y - x) ** 2), rel=1e-14)
    np.testing.assert_allclose(dx, x - y, rtol=1e-15)
