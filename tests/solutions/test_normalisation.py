"""Batchnorm running statistics and test mode; inverted dropout's keep probability and seed."""

import copy

import numpy as np
import pytest


def test_batchnorm_train_normalises_each_feature(layers, rng):
    x = rng.normal(5, 3, size=(200, 4))
    gamma, beta = rng.uniform(1, 2, size=4), rng.standard_normal(4)
    out, _ = layers.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), gamma * np.sqrt(x.var(0) / (x.var(0) + 1e-5)),
                               rtol=1e-10)


def test_batchnorm_running_stats_follow_momentum_in_place(layers, rng):
    bn_param = {"mode": "train", "momentum": 0.8}
    gamma, beta = np.ones(3), np.zeros(3)
    mean, var = np.zeros(3), np.zeros(3)
    for _ in range(5):
        x = rng.normal(2.0, 4.0, size=(16, 3))
        layers.batchnorm_forward(x, gamma, beta, bn_param)
        mean = 0.8 * mean + 0.2 * x.mean(axis=0)
        var = 0.8 * var + 0.2 * x.var(axis=0)
        np.testing.assert_allclose(bn_param["running_mean"], mean, rtol=1e-12)
        np.testing.assert_allclose(bn_param["running_var"], var, rtol=1e-12)


def test_batchnorm_test_mode_uses_running_stats_after_several_train_steps(layers, rng):
    bn_param = {"mode": "train"}
    gamma, beta = rng.uniform(0.5, 2, size=5), rng.standard_normal(5)
    for _ in range(50):
        layers.batchnorm_forward(rng.normal(3.0, 2.0, size=(32, 5)), gamma, beta, bn_param)
    stats = copy.deepcopy(bn_param)
    bn_param["mode"] = "test"
    x = rng.normal(3.0, 2.0, size=(7, 5))
    out, _ = layers.batchnorm_forward(x, gamma, beta, bn_param)
    expected = gamma * (x - stats["running_mean"]) / np.sqrt(stats["running_var"] + 1e-5) + beta
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    # test mode neither uses nor changes the batch's own statistics
    np.testing.assert_array_equal(bn_param["running_mean"], stats["running_mean"])
    np.testing.assert_array_equal(bn_param["running_var"], stats["running_var"])
    one, _ = layers.batchnorm_forward(x[:1], gamma, beta, bn_param)
    np.testing.assert_allclose(one, expected[:1], rtol=1e-12)
    # after 50 steps of momentum 0.9 the running stats approach the data's mean and variance
    np.testing.assert_allclose(stats["running_mean"], 3.0, atol=0.5)
    np.testing.assert_allclose(stats["running_var"], 4.0, rtol=0.3)


def test_batchnorm_backward_alt_equals_batchnorm_backward(layers, rng):
    x = rng.normal(1, 2, size=(9, 6))
    out, cache = layers.batchnorm_forward(x, rng.standard_normal(6), rng.standard_normal(6),
                                          {"mode": "train"})
    dout = rng.standard_normal(out.shape)
    for a, b in zip(layers.batchnorm_backward(dout, cache), layers.batchnorm_backward_alt(dout, cache)):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_batchnorm_rejects_an_unknown_mode(layers):
    with pytest.raises(ValueError, match="mode"):
        layers.batchnorm_forward(np.ones((2, 2)), np.ones(2), np.zeros(2), {"mode": "eval"})


def test_layernorm_normalises_each_example(layers, rng):
    x = rng.normal(4, 3, size=(3, 50))
    out, _ = layers.layernorm_forward(x, np.ones(50), np.zeros(50), {})
    np.testing.assert_allclose(out.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=1), 1, rtol=1e-5)


@pytest.mark.parametrize("p", [0.25, 0.5, 0.9])
def test_dropout_p_is_the_keep_probability_and_preserves_the_mean(layers, p):
    x = np.ones((400, 500))
    out, _ = layers.dropout_forward(x, {"p": p, "mode": "train", "seed": 7})
    kept = out != 0
    assert kept.mean() == pytest.approx(p, abs=0.01)
    np.testing.assert_allclose(out[kept], 1 / p)         # inverted: survivors scaled by 1/p
    assert out.mean() == pytest.approx(1.0, abs=0.02)


def test_dropout_same_seed_same_mask_other_seed_other_mask(layers, rng):
    x = rng.standard_normal((30, 40))
    a, _ = layers.dropout_forward(x, {"p": 0.5, "mode": "train", "seed": 3})
    b, _ = layers.dropout_forward(x, {"p": 0.5, "mode": "train", "seed": 3})
    c, _ = layers.dropout_forward(x, {"p": 0.5, "mode": "train", "seed": 4})
    np.testing.assert_array_equal(a, b)
    assert np.any(a != c)


def test_dropout_backward_uses_the_forward_mask(layers, rng):
    x = rng.standard_normal((20, 10))
    out, cache = layers.dropout_forward(x, {"p": 0.6, "mode": "train", "seed": 11})
    dx = layers.dropout_backward(np.ones_like(x), cache)
    np.testing.assert_allclose(dx, out / x)


def test_dropout_test_mode_is_identity_and_leaves_input_alone(layers, rng):
    x = rng.standard_normal((5, 6))
    original = x.copy()
    out, cache = layers.dropout_forward(x, {"p": 0.3, "mode": "test"})
    np.testing.assert_array_equal(out, original)
    np.testing.assert_array_equal(layers.dropout_backward(original, cache), original)
    out[0, 0] = 99.0
    np.testing.assert_array_equal(x, original)
