"""Behaviour of the student's layers together: a small network learns.

The sanity check every practitioner runs first: a two-layer network (affine - ReLU - affine -
softmax) built from the student's own layers must overfit a tiny training set. If it cannot
drive the training accuracy to ~1, some forward or backward pass in the chain is wrong even if
each looked plausible on its own.

Set-up: N = 50 examples, D = 20 features, random labels over C = 5 classes, H = 100 hidden
units, full-batch SGD with a fixed learning rate for at most MAX_STEPS steps (5 round trips
each), stopping as soon as every example is classified right. Calibration (tests/checks/
test_behaviour_calibration.py): the reference reaches accuracy 1.0 within a fraction of the
budget on every one of 200 seeds.

Scenarios take `(student, rng)`; see grader.checks.behaviour_common.
"""

from __future__ import annotations

import numpy as np

from grader.checks.behaviour_common import finite_array, require, sgd_step

LEARN_SHAPE = (50, 20, 100, 5)  # N, D, H, C
LEARNING_RATE = 0.5
MAX_STEPS = 100
MIN_ACCURACY = 0.99


def _scores_and_grads(student, x, y, params):
    """Scores (N, C) and gradients of the softmax loss, all with the student's layers."""
    N = x.shape[0]
    H, C = params["w2"].shape
    h, cache1 = student.call("layer_utils", "affine_relu_forward", x, params["w1"], params["b1"],
                             keep=(1,))
    h = finite_array(h, (N, H), "affine_relu_forward's out")
    scores, cache2 = student.call("layers", "affine_forward", h, params["w2"], params["b2"],
                                  keep=(1,))
    scores = finite_array(scores, (N, C), "affine_forward's out")
    result = student.call("layers", "softmax_loss", scores, y)
    require(isinstance(result, tuple) and len(result) == 2,
            "softmax_loss should return a tuple (loss, dx)", diagnosis="shape_mismatch")
    dscores = finite_array(result[1], (N, C), "softmax_loss's dx")
    dh, dw2, db2 = student.call("layers", "affine_backward", dscores, cache2)
    dh = finite_array(dh, (N, H), "affine_backward's dx")
    _, dw1, db1 = student.call("layer_utils", "affine_relu_backward", dh, cache1)
    grads = {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
    grads = {k: finite_array(v, params[k].shape, f"the gradient of {k}") for k, v in grads.items()}
    return scores, grads


def two_layer_net_overfits(student, rng: np.random.Generator) -> None:
    """A two-layer net of the student's layers reaches training accuracy >= 0.99 on 50 examples."""
    N, D, H, C = LEARN_SHAPE
    x = rng.standard_normal((N, D))
    y = rng.integers(0, C, size=N)
    params = {"w1": rng.standard_normal((D, H)) * np.sqrt(2.0 / D), "b1": np.zeros(H),
              "w2": rng.standard_normal((H, C)) * np.sqrt(2.0 / H), "b2": np.zeros(C)}
    accuracy = 0.0
    for step in range(MAX_STEPS):
        scores, grads = _scores_and_grads(student, x, y, params)
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
