"""The given composites in layer_utils: compositions of the layers, with correct gradients."""

import numpy as np
import pytest

from grader.gradcheck import eval_numerical_gradient_array

COMPOSITES = {
    # name: make inputs(rng) -> args (float64 arrays, then the parameter dict if any)
    "affine_relu": lambda r: (r.standard_normal((3, 2, 2)), r.standard_normal((4, 5)), r.standard_normal(5)),
    "affine_sigmoid": lambda r: (r.standard_normal((3, 4)), r.standard_normal((4, 5)), r.standard_normal(5)),
    "affine_bn_relu": lambda r: (r.standard_normal((6, 4)), r.standard_normal((4, 5)), r.standard_normal(5),
                                 r.uniform(0.5, 1.5, 5), r.standard_normal(5), {"mode": "train"}),
    "conv_relu": lambda r: (r.standard_normal((2, 2, 5, 4)), r.standard_normal((3, 2, 3, 2)),
                            r.standard_normal(3), {"stride": 2, "pad": 1}),
}


@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_composite_backward_matches_numerical_gradient(layer_utils, name):
    rng = np.random.default_rng(3)
    args = COMPOSITES[name](rng)
    forward = getattr(layer_utils, f"{name}_forward")
    backward = getattr(layer_utils, f"{name}_backward")
    out, cache = forward(*args)
    dout = rng.standard_normal(out.shape)
    grads = backward(dout, cache)
    # the relu pre-activation (last part of the cache) must be off the kink by far more than h
    if name.endswith("relu"):
        assert np.min(np.abs(cache[-1])) > 1e-3, "a relu input sits on the kink: change the seed"
    arrays = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]
    assert len(grads) == len(arrays)
    for i, g in zip(arrays, grads):
        def f(v, i=i):
            a = list(args)
            a[i] = v
            a = [dict(p) if isinstance(p, dict) else p for p in a]
            return forward(*a)[0]
        num = eval_numerical_gradient_array(f, args[i], dout)
        # absolute floor: affine_bn_relu's db is exactly 0 (batchnorm cancels a shift), where
        # the relative error would compare rounding noise with rounding noise
        np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-9, err_msg=f"{name} arg {i}")


def test_affine_relu_is_relu_of_affine(layer_utils, layers, rng):
    x, w, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2)
    out, _ = layer_utils.affine_relu_forward(x, w, b)
    np.testing.assert_array_equal(out, np.maximum(0, x @ w + b))


def test_composites_use_the_layers_of_their_own_package(layer_utils, layers):
    # `from .layers import *` binds the same function objects (one reference, no copies)
    assert layer_utils.affine_forward is layers.affine_forward
    assert layer_utils.conv_forward_naive is layers.conv_forward_naive
