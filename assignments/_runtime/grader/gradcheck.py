"""Numerical gradients and the relative error, the yardstick of every gradient check.

Everything here is float64, copies its inputs (a forward function that writes into its argument
cannot corrupt the check), returns data instead of printing, and is seeded. Bad input raises a
`ValueError` naming the argument: a silent wrong gradient check is worse than none.

This module imports only numpy: it ships in the student release.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

DEFAULT_H = 1e-5


@dataclass(frozen=True)
class GradCheck:
    """The outcome of a sparse or directional gradient check.

    max_rel_error: the largest of `rel_errors`.
    rel_errors: one relative error per probed element (sparse) or direction (directional).
    forward_calls: how many times the function was evaluated.
    """

    max_rel_error: float
    rel_errors: tuple[float, ...]
    forward_calls: int


def _as_float_array(name: str, value, *, allow_int: bool = False) -> np.ndarray:
    """Validate one argument: a finite, real, floating-point array (copied, as float64)."""
    if isinstance(value, np.ndarray):
        array = value
    elif isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool):
        array = np.asarray(value)
    else:
        raise ValueError(f"{name} must be a numpy array, got {type(value).__name__}")
    if array.dtype.kind in "iub" and not allow_int:
        raise ValueError(
            f"{name} has integer dtype {array.dtype}: numerical gradients need floating point"
            " (pass x.astype(np.float64))"
        )
    if array.dtype.kind not in "fiub":
        raise ValueError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity")
    return np.array(array, dtype=np.float64, copy=True)


def _check_h(h: float) -> float:
    if not (isinstance(h, (float, int)) and np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a positive finite step, got {h!r}")
    return float(h)


def _scalar(name: str, value) -> float:
    out = np.asarray(value, dtype=np.float64)
    if out.size != 1:
        raise ValueError(f"{name} must return a scalar, got an array of shape {out.shape}")
    return float(out.reshape(()))


def _same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}")


def _check_inputs(x, analytic_grad, h, count_name: str, count) -> tuple[np.ndarray, np.ndarray, float]:
    """Validate the arguments of a sparse or directional check: (x, analytic_grad, h) as float64
    copies, or ValueError naming the bad one (a non-positive count, an empty x included)."""
    x = _as_float_array("x", x)
    analytic_grad = _as_float_array("analytic_grad", analytic_grad)
    _same_shape("analytic_grad", analytic_grad, "x", x)
    if not (isinstance(count, (int, np.integer)) and count > 0):
        raise ValueError(f"{count_name} must be a positive integer, got {count!r}")
    if x.size == 0:
        raise ValueError("x is empty: there is nothing to check")
    return x, analytic_grad, _check_h(h)


def rel_error(a, b) -> float:
    """CS231n's relative error: max |a - b| / max(1e-8, |a| + |b|), element-wise then the max.

    Inputs:
    - a, b: arrays of the same shape (any real dtype, including integers) or scalars.

    Returns the largest element-wise relative error as a float (0.0 for empty arrays).
    """
    a = _as_float_array("a", a, allow_int=True)
    b = _as_float_array("b", b, allow_int=True)
    _same_shape("a", a, "b", b)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def eval_numerical_gradient(f: Callable[[np.ndarray], float], x, h: float = DEFAULT_H) -> np.ndarray:
    """Centred-difference gradient of a scalar function.

    Inputs:
    - f: a function of one array of x's shape returning a scalar.
    - x: float array of any shape (copied; never mutated).
    - h: the step.

    Returns grad, float64, same shape as x: grad[i] = (f(x + h e_i) - f(x - h e_i)) / 2h.
    Costs 2 * x.size calls of f.
    """
    x = _as_float_array("x", x)
    h = _check_h(h)
    grad = np.zeros_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + h
        plus = _scalar("f", f(x.copy()))
        flat_x[i] = old - h
        minus = _scalar("f", f(x.copy()))
        flat_x[i] = old
        flat_grad[i] = (plus - minus) / (2 * h)
    return grad


def eval_numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray], x, df, h: float = DEFAULT_H
) -> np.ndarray:
    """Centred-difference gradient of sum(f(x) * df) for an array-valued f.

    Inputs:
    - f: a function of one array of x's shape returning an array of df's shape.
    - x: float array of any shape (copied; never mutated).
    - df: the upstream gradient, float array of the shape f returns.
    - h: the step.

    Returns grad, float64, same shape as x. Costs 2 * x.size calls of f.
    """
    x = _as_float_array("x", x)
    df = _as_float_array("df", df)
    h = _check_h(h)
    grad = np.zeros_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + h
        plus = np.asarray(f(x.copy()), dtype=np.float64)
        flat_x[i] = old - h
        minus = np.asarray(f(x.copy()), dtype=np.float64)
        flat_x[i] = old
        if plus.shape != df.shape:
            raise ValueError(f"f returned shape {plus.shape} but df has shape {df.shape}")
        flat_grad[i] = np.sum((plus - minus) * df) / (2 * h)
    return grad


def sparse_grad_check(
    f: Callable[[np.ndarray], float],
    x,
    analytic_grad,
    *,
    num_checks: int = 10,
    h: float = DEFAULT_H,
    seed: int = 0,
) -> GradCheck:
    """Compare an analytic gradient with centred differences at randomly chosen elements.

    Inputs:
    - f: scalar function of an array of x's shape.
    - x: float array of any shape (copied; never mutated).
    - analytic_grad: the claimed gradient of f at x, same shape as x.
    - num_checks: how many elements to probe (drawn with replacement).
    - seed: seeds the choice of elements.

    Returns a GradCheck with one relative error per probed element; 2 * num_checks calls of f.
    """
    x, analytic_grad, h = _check_inputs(x, analytic_grad, h, "num_checks", num_checks)
    rng = np.random.default_rng(seed)
    flat_x = x.reshape(-1)
    errors = []
    for i in rng.integers(0, x.size, size=int(num_checks)):
        old = flat_x[i]
        flat_x[i] = old + h
        plus = _scalar("f", f(x.copy()))
        flat_x[i] = old - h
        minus = _scalar("f", f(x.copy()))
        flat_x[i] = old
        numeric = (plus - minus) / (2 * h)
        errors.append(rel_error(np.float64(numeric), analytic_grad.reshape(-1)[i]))
    return GradCheck(max(errors), tuple(errors), 2 * int(num_checks))


def random_unit_directions(shape: tuple[int, ...], k: int, seed: int) -> np.ndarray:
    """k random unit vectors in the space of arrays of `shape`: float64, shape (k, *shape)."""
    rng = np.random.default_rng(seed)
    directions = rng.standard_normal((k, *shape))
    norms = np.sqrt(np.sum(directions.reshape(k, -1) ** 2, axis=1))
    return directions / norms.reshape((k,) + (1,) * len(shape))


def directional_grad_check(
    f: Callable[[np.ndarray], float],
    x,
    analytic_grad,
    *,
    k: int = 4,
    h: float = DEFAULT_H,
    seed: int = 0,
) -> GradCheck:
    """Compare directional derivatives along k random unit directions u.

    The numerical side is (f(x + h u) - f(x - h u)) / 2h, the analytic side <analytic_grad, u>.
    One corrupted element of a gradient moves the analytic side along almost every direction, so
    a few directions catch it at the cost of 2k calls of f instead of 2 * x.size.

    Inputs:
    - f: scalar function of an array of x's shape.
    - x: float array of any shape (copied; never mutated).
    - analytic_grad: the claimed gradient of f at x, same shape as x.
    - k: how many directions.
    - seed: seeds the directions.

    Returns a GradCheck with one relative error per direction; 2k calls of f.
    """
    x, analytic_grad, h = _check_inputs(x, analytic_grad, h, "k", k)
    errors = []
    for u in random_unit_directions(x.shape, int(k), seed):
        numeric = (_scalar("f", f(x + h * u)) - _scalar("f", f(x - h * u))) / (2 * h)
        analytic = float(np.sum(analytic_grad * u))
        errors.append(rel_error(np.float64(numeric), np.float64(analytic)))
    return GradCheck(max(errors), tuple(errors), 2 * int(k))
