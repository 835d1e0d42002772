"""What counts as a dropout forward that drew a random mask (grader.checks.gradients): a
backward beside a wrong-but-masked forward is judged on that mask, so the test must accept
every real draw, on small cases too, and refuse every deterministic imitation."""

from types import SimpleNamespace

import numpy as np
import pytest

from grader.checks.gradients import _drew_a_mask


def _plan(x, p):
    return SimpleNamespace(args=(x, {"p": p, "mode": "train", "seed": 0}))


@pytest.mark.parametrize("shape,p", [((2, 3, 4), 0.3), ((6, 5), 0.7), ((4, 5), 0.5)])
@pytest.mark.parametrize("scale", ["inverted", "unscaled"])
def test_every_random_mask_counts_on_small_cases(shape, p, scale):
    """Before, a mask whose kept (or dropped) units all had one sign was taken for a ReLU:
    on 24 units at p = 0.3 that refused about 1 draw in 12 (17 of 200 student ids)."""
    refused = []
    for seed in range(300):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal(shape)
        mask = rng.random(shape) < p
        if mask.all() or not mask.any():
            continue  # nothing dropped or nothing kept: no mask can be seen
        out = x * mask / (p if scale == "inverted" else 1.0)
        if not _drew_a_mask(_plan(x, p), (out,)):
            refused.append(seed)
    assert refused == []


@pytest.mark.parametrize("forward", [
    lambda x: np.maximum(x, 0),                        # ReLU
    lambda x: np.minimum(x, 0) / 0.5,                  # the other half, scaled
    lambda x: x * (np.abs(x) > 0.7),                   # magnitude pruning
    lambda x: x * (np.abs(x) < 0.7),
    lambda x: x * (x > 0.3),                           # a shifted threshold
    lambda x: x,                                       # identity
    lambda x: np.zeros_like(x),                        # nothing
    lambda x: np.where(np.arange(x.size).reshape(x.shape) % 2 == 0, x, -x) * (x > 0),
], ids=["relu", "negative-half", "prune-large", "prune-small", "threshold", "identity", "zeros",
        "sign-flips"])
def test_a_forward_that_selects_units_by_their_value_draws_no_mask(forward):
    for seed in range(50):
        x = np.random.default_rng(seed).standard_normal((2, 3, 4))
        assert not _drew_a_mask(_plan(x, 0.5), (forward(x),)), seed
