"""The seed's hand-worked example, run through the reference layers.

One sigmoid neuron, W = [2, -3], b = -3, input x = [-1, -2], target y = 1, cost
C = 1/2 (y - a)**2: forward with affine_forward + sigmoid_forward + mse_loss, backward with
their backwards, then one gradient-descent step with learning rate 1.
"""

import numpy as np
import pytest


@pytest.fixture
def neuron(layers):
    x = np.array([[-1.0, -2.0]])        # (N=1, D=2)
    w = np.array([[2.0], [-3.0]])       # (D=2, M=1)
    b = np.array([-3.0])                # (M=1,)
    y = np.array([[1.0]])               # (N=1, M=1)

    def forward_backward(w, b):
        z, fc_cache = layers.affine_forward(x, w, b)
        a, sig_cache = layers.sigmoid_forward(z)
        loss, da = layers.mse_loss(a, y)
        dz = layers.sigmoid_backward(da, sig_cache)
        _, dw, db = layers.affine_backward(dz, fc_cache)
        return {"z": z, "a": a, "loss": loss, "da": da, "dz": dz, "dw": dw, "db": db}

    return forward_backward, w, b


def test_forward_gives_z_1_and_activation_0731(neuron):
    run, w, b = neuron
    r = run(w, b)
    assert r["z"].item() == pytest.approx(1.0, abs=1e-12)
    assert r["a"].item() == pytest.approx(0.731, abs=5e-4)
    assert r["loss"] == pytest.approx(0.5 * (1 - r["a"].item()) ** 2, rel=1e-12)


def test_backward_factors_and_dC_dw1_is_00529(neuron):
    run, w, b = neuron
    r = run(w, b)
    assert r["da"].item() == pytest.approx(-0.27, abs=5e-3)           # dC/da = a - y
    assert (r["dz"] / r["da"]).item() == pytest.approx(0.1966, abs=5e-4)  # sigma'(z) = a(1 - a)
    assert r["dw"][0, 0] == pytest.approx(0.0529, abs=5e-5)
    # the seed's 0.053217 is -0.27 * 0.1971 * -1 with rounded factors: within their rounding
    assert abs(r["dw"][0, 0] - 0.053217) < 5e-4
    # dC/dw2 = delta * x2 and dC/db = delta: the shared error term
    assert r["dw"][1, 0] == pytest.approx(2 * r["dw"][0, 0], rel=1e-12)
    assert r["db"][0] == pytest.approx(-r["dw"][0, 0], rel=1e-12)


def test_one_sgd_step_moves_parameters_and_activation_towards_target(neuron):
    run, w, b = neuron
    r = run(w, b)
    w_new, b_new = w - 1.0 * r["dw"], b - 1.0 * r["db"]
    assert w_new[0, 0] == pytest.approx(1.947, abs=5e-4)   # the seed truncates to 1.94
    assert w_new[1, 0] == pytest.approx(-3.106, abs=5e-4)
    assert b_new[0] == pytest.approx(-2.947, abs=5e-4)
    after = run(w_new, b_new)
    assert after["a"].item() == pytest.approx(0.79, abs=5e-3)
    assert after["loss"] < r["loss"]
