"""Behaviour of the student's layers together: a small network learns.

The sanity check every practitioner runs first: a two-layer network (affine - ReLU - affine -
softmax) built from the student's own layers must overfit a tiny training set. If it cannot
drive the training accuracy to ~1, some forward or backward pass in the chain is wrong even if
each looked plausible on its own.

Set-up: N = 50 examples, D = 20 features, random labels over C = 5 classes, H = 100 hidden
units, full-batch SGD with a fixed learning rate for at most MAX_STEPS steps (7 round trips
each, on the student's layers.py only), stopping as soon as the accuracy reaches MIN_ACCURACY.
Calibration (tests/checks/test_behaviour_calibration.py): over 200 seeds the reference reaches
accuracy >= 0.99 within 19 steps (median 12), so the budget leaves a factor 5; the test holds it
to 30 steps.

Scenarios take `(student, rng)`; see grader.checks.behaviour_common.
"""

from __future__ import annotations

import numpy as np

from grader.checks.behaviour_common import require, sgd_step

from .net import two_layer_net

LEARN_SHAPE = (50, 20, 100, 5)  # N, D, H, C
LEARNING_RATE = 0.5
MAX_STEPS = 100
MIN_ACCURACY = 0.99


def two_layer_net_overfits(student, rng: np.random.Generator) -> None:
    """A two-layer net of the student's layers reaches training accuracy >= 0.99 on 50 examples."""
    N, D, H, C = LEARN_SHAPE
    x = rng.standard_normal((N, D))
    y = rng.integers(0, C, size=N)
    params = {"w1": rng.standard_normal((D, H)) * np.sqrt(2.0 / D), "b1": np.zeros(H),
              "w2": rng.standard_normal((H, C)) * np.sqrt(2.0 / H), "b2": np.zeros(C)}
    accuracy = 0.0
    for step in range(MAX_STEPS):
        _, scores, grads = two_layer_net(student, x, y, params)
        accuracy = float(np.mean(scores.argmax(axis=1) == y))
        if accuracy >= MIN_ACCURACY:
            return
        sgd_step(params, grads, LEARNING_RATE)
    require(accuracy >= MIN_ACCURACY,
            f"a two-layer network (affine - ReLU - affine - softmax) of your layers should "
            f"overfit {N} examples: training accuracy >= {MIN_ACCURACY} within {MAX_STEPS} SGD "
            f"steps at learning rate {LEARNING_RATE:g}, as the reference does with a wide "
            f"margin; it reached {accuracy:.2f}. Some forward or backward in the chain is wrong",
            errors={"train_accuracy": accuracy}, thresholds={"train_accuracy": MIN_ACCURACY})
