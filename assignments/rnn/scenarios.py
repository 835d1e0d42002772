"""Checks of the rnn assignment that need inputs outside its layer cases.

    clip_grad_norm_check: clipping a dict of gradients by global norm, above and below
        the limit, without touching the input

Imported by checks.py (`from .scenarios import ...`), so it ships with the public checks.
Building blocks: grader.checks.scenarios.
"""

from __future__ import annotations

import copy

import numpy as np

from grader.checks.scenarios import ROUNDING_THRESHOLD as RUNNING_THRESHOLD
from grader.checks.scenarios import compare as _compare
from grader.checks.spec import CheckFailed
from grader.checks.validate import expect_scalar, expect_tuple
from grader.gradcheck import rel_error
from grader.runner.protocol import Call


def clip_grad_norm_check(ctx) -> None:
    """clip_grad_norm on a dict of gradients whose norm is above, then below, max_norm: one
    round trip. The clipped arrays, the returned norm, and an untouched input are checked."""
    shapes = {"W1": (4, 3), "b1": (3,), "W2": (3, 2)}
    grads = {k: ctx.rng.standard_normal(s) for k, s in shapes.items()}
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    settings = [("above", 0.5 * norm), ("below", 2.0 * norm)]
    calls = [Call("rnn_layers", "clip_grad_norm", (copy.deepcopy(grads), limit))
             for _, limit in settings]
    values = ctx.student.call_many(calls)
    errors, thresholds = {}, {}
    for (label, limit), call, value in zip(settings, calls, values):
        if isinstance(value, Exception):
            raise value
        want = ctx.expected(label, lambda limit=limit: _ref_clip(ctx.reference, grads, limit))
        want_clipped, want_norm = want[:-1], want[-1]
        clipped, total = expect_tuple("clip_grad_norm", value, ["clipped", "total_norm"])
        total = expect_scalar("clip_grad_norm", "total_norm", total)
        errors[f"total_norm ({label})"] = rel_error(np.float64(total), np.float64(want_norm))
        thresholds[f"total_norm ({label})"] = RUNNING_THRESHOLD
        if errors[f"total_norm ({label})"] > RUNNING_THRESHOLD:
            raise CheckFailed(f"clip_grad_norm returned total_norm {total:.6g} but the global "
                              f"norm of the gradients is {float(want_norm):.6g}",
                              errors=errors, thresholds=thresholds)
        if not isinstance(clipped, dict) or set(clipped) != set(grads):
            raise CheckFailed(f"clip_grad_norm must return a dict with the keys {sorted(grads)}")
        for key, want_array in zip(sorted(grads), want_clipped):
            _compare("clip_grad_norm", f"{key} ({label} max_norm)", clipped[key], want_array, errors,
                     thresholds, RUNNING_THRESHOLD)
        for key, original in grads.items():
            sent = call.args[0].get(key)
            if not isinstance(sent, np.ndarray) or not np.array_equal(sent, original):
                raise CheckFailed("clip_grad_norm modified the gradients it was given; "
                                  "return new arrays and leave the input dict unchanged")


def _ref_clip(reference, grads, limit):
    clipped, total = reference["rnn_layers"].clip_grad_norm(copy.deepcopy(grads), limit)
    return tuple(np.asarray(clipped[k]) for k in sorted(grads)) + (np.float64(total),)
