"""Building blocks of behavioural checks: reading the student's arrays and failing with numbers.

A behavioural scenario is a plain function `scenario(student, rng) -> None`: `student` is a Runner
(docs/ARCHITECTURE.md: `call(module, function, *args, keep=(), **kwargs)`), `rng` a
`np.random.Generator`. It composes the student's own layers into a situation where a
leaky abstraction shows (saturation, dead units, exploding gradients, invariances, learning at
all) and raises `CheckFailed` with the measured numbers when the behaviour is not there. Every
metric is computed in the grader, from returned arrays. The scenarios of an assignment live
beside its solutions (e.g. `solutions/<a>/behaviours/`), imported inside its hidden checks so the
student release never ships them; they build on the helpers here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks.diagnose import diagnose, local_confusions
from grader.checks.spec import CheckFailed
from grader.checks.validate import expect_array, expect_tuple
from grader.runner.protocol import Call, StudentError

__all__ = ["Call", "CheckFailed", "call_all", "diagnose", "expect_array", "expect_tuple",
           "finite_array", "float_array", "global_norm", "local_confusions", "require", "require_close",
           "require_signal",
           "sgd_step"]


def float_array(value: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    """`value` as a float64 array of `shape` (NaN allowed), or CheckFailed naming `what`.

    `what` reads "<function>'s <name>" (e.g. "sigmoid_backward's dx"). A student's wrong type,
    wrong shape or integer array is a failed check with a message, not a crash.
    """
    function, _, name = what.partition("'s ")
    if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
        return expect_array(function, name or what, value, shape)  # raises with the reason
    if tuple(value.shape) != tuple(shape):
        return expect_array(function, name or what, value, shape)
    return np.asarray(value, dtype=np.float64)


def finite_array(value: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    """Like `float_array`, and every entry finite (else CheckFailed with diagnosis "nan_inf")."""
    function, _, name = what.partition("'s ")
    return expect_array(function, name or what, value, shape)


def require_close(got: np.ndarray, expected: np.ndarray, tol: float, message: str, *,
                  name: str, error_key: str, batch_size: int | None = None,
                  overlap: np.ndarray | None = None, candidates=None) -> None:
    """CheckFailed unless max|got - expected| <= tol * max|expected| (relative to the largest
    entry); the diagnosis comes from `grader.checks.diagnose` and `message` gets the measured
    error appended."""
    scale = max(float(np.max(np.abs(expected))) if expected.size else 0.0, 1e-300)
    error = float(np.max(np.abs(got - expected))) / scale if got.size else 0.0
    if error <= tol:
        return
    found = diagnose(name, got, expected, batch_size=batch_size, overlap=overlap,
                     candidates=candidates)
    raise CheckFailed(f"{message} (relative error {error:.3g})"
                      + (f"; {found.words}" if found else ""),
                      diagnosis=found.code if found else None,
                      errors={error_key: error}, thresholds={error_key: tol})


def call_all(student, calls: list[Call]) -> list:
    """Independent calls in one round trip (`student.call_many`); the first StudentError among
    the results is raised, as `student.call` would raise it."""
    results = student.call_many(list(calls))
    for result in results:
        if isinstance(result, StudentError):
            raise result
    return results


def require(ok: bool, message: str, *, diagnosis: str | None = None,
            errors: dict[str, float] | None = None,
            thresholds: dict[str, float] | None = None) -> None:
    """Raise CheckFailed(message, ...) unless `ok`."""
    if not ok:
        raise CheckFailed(message, diagnosis=diagnosis, errors=errors, thresholds=thresholds)


def require_signal(array: np.ndarray, what: str) -> None:
    """CheckFailed (diagnosis "zeros") when `array` is all zeros where the reference's is not.

    A behaviour stated as a bound or an invariance ("never more than 0.25x", "sums to zero",
    "scales by 1/c") holds trivially for a gradient of zeros; a do-nothing layer must not pass
    it. Callers use it only where the reference's array is nonzero on the check's inputs."""
    if not np.any(array):
        raise CheckFailed(f"{what} is all zeros, so this behaviour cannot be seen in it; with the "
                          "reference it is not", diagnosis="zeros")


def global_norm(arrays) -> float:
    """sqrt(sum of squares) over every entry of every array."""
    return float(np.sqrt(sum(float(np.sum(np.square(a))) for a in arrays)))


def sgd_step(params: dict[str, np.ndarray], grads: dict[str, np.ndarray], lr: float) -> None:
    """Vanilla SGD: params[k] = params[k] - lr * grads[k] (in the grader, never the student)."""
    for key, grad in grads.items():
        params[key] = params[key] - lr * grad
