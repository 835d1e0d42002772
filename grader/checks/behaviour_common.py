"""Shared pieces of the behavioural checks: reading the student's arrays and failing with numbers.

A behavioural scenario is a plain function `scenario(student, rng) -> None`: `student` is a Runner
(docs/ARCHITECTURE.md: `call(module, function, *args, keep=(), **kwargs)`), `rng` a
`np.random.Generator`. It composes the student's own layers into one of the seeds' situations
(saturated sigmoids, dead ReLUs, exploding RNN gradients, the DQN clipping bug, batch norm's
invariances, learning at all) and raises `CheckFailed` with the measured numbers when the
behaviour is not there. Every metric is computed here, in the grader, from returned arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks.spec import CheckFailed

__all__ = ["CheckFailed", "float_array", "require", "global_norm", "sgd_step"]


def float_array(value: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    """`value` as a float64 array of `shape`, or CheckFailed naming `what` (e.g. "sigmoid_backward's dx").

    A student's wrong type, wrong shape or integer array is a failed check with a message, not a crash.
    """
    if not isinstance(value, np.ndarray):
        raise CheckFailed(f"{what} should be a float array of shape {shape}, "
                          f"got {type(value).__name__}", diagnosis="shape_mismatch")
    if value.dtype.kind != "f":
        raise CheckFailed(f"{what} should be a float array, got dtype {value.dtype}",
                          diagnosis="shape_mismatch")
    if tuple(value.shape) != tuple(shape):
        raise CheckFailed(f"{what} should have shape {tuple(shape)}, got {tuple(value.shape)}",
                          diagnosis="shape_mismatch")
    return np.asarray(value, dtype=np.float64)


def finite_array(value: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    """Like `float_array`, and every entry finite (else CheckFailed with diagnosis "nan_inf")."""
    array = float_array(value, shape, what)
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise CheckFailed(f"{what} has {bad} NaN or infinite entries", diagnosis="nan_inf")
    return array


def require(ok: bool, message: str, *, diagnosis: str | None = None,
            errors: dict[str, float] | None = None,
            thresholds: dict[str, float] | None = None) -> None:
    """Raise CheckFailed(message, ...) unless `ok`."""
    if not ok:
        raise CheckFailed(message, diagnosis=diagnosis, errors=errors, thresholds=thresholds)


def global_norm(arrays) -> float:
    """sqrt(sum of squares) over every entry of every array."""
    return float(np.sqrt(sum(float(np.sum(np.square(a))) for a in arrays)))


def sgd_step(params: dict[str, np.ndarray], grads: dict[str, np.ndarray], lr: float) -> None:
    """Vanilla SGD in place: params[k] -= lr * grads[k] (done in the grader, never by the student)."""
    for key, grad in grads.items():
        params[key] = params[key] - lr * grad
