"""Behaviour of the student's softmax loss at large scores: the max-shift that keeps exp finite.

Like the sigmoid at |z| = 1e4, softmax over scores of a few thousand overflows exp() unless
the row maximum is subtracted first; the loss and its gradient are perfectly finite numbers
there. (Ready to be wired as a hidden check of backprop/softmax_loss; see the report.)

Scenarios take `(student, rng)`; see grader.checks.behaviour_common.
"""

from __future__ import annotations

import numpy as np

from grader.checks.behaviour_common import expect_tuple, finite_array, require, require_close
from grader.checks.validate import expect_scalar

LARGE_SCORE = 1e3  # exp(1000) overflows float64 (max ~ e^709.8)


def softmax_large_scores(student, rng: np.random.Generator) -> None:
    """softmax_loss is finite and right for scores around +-1000 (rows shifted by a constant)."""
    N, C = 16, 7
    x = rng.standard_normal((N, C)) * 5.0 + rng.choice([-1.0, 1.0], size=(N, 1)) * LARGE_SCORE
    y = rng.integers(0, C, size=N)
    loss, dx = expect_tuple("softmax_loss", student.call("layers", "softmax_loss", x, y),
                            ("loss", "dx"))
    loss = expect_scalar("softmax_loss", "loss", loss)
    dx = finite_array(dx, (N, C), "softmax_loss's dx")
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    expected_loss = float(-log_probs[np.arange(N), y].mean())
    loss_error = abs(loss - expected_loss) / max(abs(expected_loss), 1e-12)
    require(loss_error <= 1e-9,
            f"softmax_loss at scores around +-{LARGE_SCORE:g} should be {expected_loss:.6g} "
            f"(subtract each row's maximum before exp); it returned {loss:.6g}",
            errors={"loss": loss_error}, thresholds={"loss": 1e-9})
    expected = np.exp(log_probs)
    expected[np.arange(N), y] -= 1
    require_close(dx, expected / N, 1e-9,
                  f"softmax_loss's dx at scores around +-{LARGE_SCORE:g} is wrong",
                  name="dx", error_key="dx", batch_size=N)
