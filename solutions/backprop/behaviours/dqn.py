"""Behaviour of clipping, Huber and gather: the DQN bug from the seed.

The seed: clipping the TD error delta by value looks sensible in the forward pass, but its
local gradient is exactly zero outside [-1, 1], so large errors stop teaching anything; the
Huber loss is what was meant: its gradient is delta clipped to [-1, 1]. Q(s, a) for the taken
actions is a gather, whose backward must scatter-add into the taken actions only.

Scenarios take `(student, rng)`; see grader.checks.behaviour_common.
"""

from __future__ import annotations

import numpy as np

from grader.checks.behaviour_common import (diagnose, expect_tuple, finite_array,
                                            local_confusions, require, require_close,
                                            require_signal)


def _deltas(rng: np.random.Generator, shape) -> np.ndarray:
    """TD errors spread over [-6, 6], kept 1e-3 away from the corners at +-1."""
    delta = rng.uniform(-6.0, 6.0, size=shape)
    near = np.abs(np.abs(delta) - 1.0) < 1e-3
    delta[near] += 0.01
    delta.flat[:2] = [-0.3, 3.0]  # both regions are always present
    return delta


def clip_backward_zero_outside(student, rng: np.random.Generator) -> None:
    """clip_backward is exactly zero where |delta| > 1 and passes dout where |delta| < 1."""
    shape = (16, 8)
    delta = _deltas(rng, shape)
    dout = rng.standard_normal(shape)
    _, cache = student.call("layers", "clip_forward", delta, -1.0, 1.0, keep=(1,))
    dx = finite_array(student.call("layers", "clip_backward", dout, cache), shape,
                      "clip_backward's dx")
    outside = np.abs(delta) > 1.0
    leaked = float(np.max(np.abs(dx[outside])))
    found = diagnose("dx", dx, dout * ~outside,
                     candidates=local_confusions("clip", delta, np.clip(delta, -1, 1),
                                                 dout))
    require(leaked == 0.0,
            "clipping by value has a local gradient of exactly zero outside [lo, hi] (this is "
            "the DQN bug: large errors stop teaching); clip_backward passed gradients up to "
            f"{leaked:.3g} where |delta| > 1",
            diagnosis=found.code if found else "mask_wrong_region",
            errors={"dx_outside": leaked}, thresholds={"dx_outside": 0.0})
    inside_error = float(np.max(np.abs(dx[~outside] - dout[~outside])))
    require(inside_error <= 1e-12,
            f"inside [lo, hi] clip_backward should pass dout unchanged; off by {inside_error:.3g}",
            diagnosis="zeros" if np.all(dx == 0) else None,
            errors={"dx_inside": inside_error}, thresholds={"dx_inside": 1e-12})


def huber_gradient_is_clipped_delta(student, rng: np.random.Generator) -> None:
    """huber_loss's dx equals clip(x - y, -1, 1): the gradient is clipped, not the error."""
    shape = (32, 4)
    delta = _deltas(rng, shape)
    y = rng.standard_normal(shape)
    x = y + delta
    result = student.call("layers", "huber_loss", x, y, delta=1.0)
    _, dx = expect_tuple("huber_loss", result, ("loss", "dx"))
    dx = finite_array(dx, shape, "huber_loss's dx")
    require_close(dx, np.clip(x - y, -1.0, 1.0), 1e-9,
                  "the Huber loss's gradient is the error clipped to [-1, 1]: exactly x - y where "
                  "|x - y| <= 1 and +-1 beyond (the gradient is clipped, not the error); "
                  "huber_loss's dx is not that", name="dx", error_key="dx")


def td_loss_gradient_to_taken_actions(student, rng: np.random.Generator) -> None:
    """gather + huber as a TD loss: dQ is nonzero only at taken actions and accumulates repeats.

    Q of shape (N, A); each row takes K = 3 actions of A = 4 (so actions repeat within rows);
    the upstream gradient is computed here, so only gather_backward's routing is judged.
    """
    N, A, K = 24, 4, 3
    Q = rng.standard_normal((N, A))
    actions = rng.integers(0, A, size=(N, K))
    actions[0] = [2, 2, 2]  # a repeated action is always present
    actions[1] = [0, 1, 3]
    # the student's gather_forward only makes the cache; q, the loss and its gradient are the
    # grader's (the huber loss with delta 1: dq = clip(q - target, -1, 1)), so a bug in
    # gather_forward or huber_loss costs their own tasks, not this one
    _, cache = student.call("layers", "gather_forward", Q, actions, keep=(1,))
    q = Q[np.arange(N)[:, None], actions]
    target = q + _deltas(rng, (N, K))
    dq = np.clip(q - target, -1.0, 1.0)
    dQ = finite_array(student.call("layers", "gather_backward", dq, cache), (N, A),
                      "gather_backward's dx")
    require_signal(dQ, "gather_backward's dQ")
    taken = np.zeros((N, A), dtype=bool)
    taken[np.arange(N)[:, None], actions] = True
    stray = float(np.max(np.abs(dQ[~taken]))) if np.any(~taken) else 0.0
    require(stray == 0.0,
            "the TD loss depends on Q only through the taken actions, so gather_backward must "
            f"send gradient to them alone; it sent up to {stray:.3g} to actions not taken",
            diagnosis="mask_wrong_region", errors={"dQ_not_taken": stray},
            thresholds={"dQ_not_taken": 0.0})
    expected = np.zeros((N, A))
    rows = np.broadcast_to(np.arange(N)[:, None], actions.shape)
    np.add.at(expected, (rows, actions), dq)
    counts = np.zeros((N, A))
    np.add.at(counts, (rows, actions), 1)
    require_close(dQ, expected, 1e-9,
                  "an action taken several times in a row collects the sum of their gradients "
                  "(np.add.at); gather_backward's dQ does not", name="dx", error_key="dQ",
                  overlap=counts > 1)
