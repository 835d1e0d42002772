"""Turn whatever a student function returned into arrays we can grade, or a clear failure.

Everything that comes back from the runner is already plain data (arrays, numbers, lists,
tuples, dicts). A student's bad return (None, a list, an integer array, a tuple of the wrong
length, a wrong shape, NaN) becomes `CheckFailed` naming the function and what was wrong;
shape mistakes carry a diagnosis (transposed, missing_batch_sum...) when one fits, and the
failure names the function (`CheckFailed.function`) so a check built from several layers can
say which one stopped it.

`ValidatedRunner` applies the one rule a reply can be held to before a check sees it: a call
with `keep=(k,)` (a forward whose cache stays in the child) returns a tuple of exactly k + 1
values, outputs then cache, so `out, cache = student.call(..., keep=(1,))` cannot raise in
the grader; any other count or type is a "bad_return" StudentError naming the function (a
failed check). Whatever the child's own checks say: student code runs there and could patch
them.

Student-safe: numpy and grader.runner.protocol only.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import numpy as np

from grader.checks.diagnose import diagnose
from grader.checks.notes import note
from grader.checks.spec import CheckFailed
from grader.runner.protocol import Call, StudentError


def _blaming(check: Callable) -> Callable:
    """A `CheckFailed` raised by `check(function, ...)` names `function` as the one to blame."""
    @functools.wraps(check)
    def wrapper(function: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return check(function, *args, **kwargs)
        except CheckFailed as failure:
            if failure.function is None:
                failure.function = function
            raise
    return wrapper


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"a {type(value).__name__}"


@_blaming
def expect_tuple(function: str, value: Any, names: Sequence[str]) -> tuple:
    """The elements of a returned tuple of len(names) values (a list of that length is fine)."""
    want = f"a tuple ({', '.join(names)})"
    if not isinstance(value, (tuple, list)):
        raise CheckFailed(f"{function} returned {_kind(value)}; expected {want}")
    if len(value) != len(names):
        raise CheckFailed(f"{function} returned {len(value)} values; expected {len(names)}: {want}")
    return tuple(value)


@_blaming
def expect_array(function: str, name: str, value: Any,
                 shape: tuple[int, ...] | None = None,
                 expected: np.ndarray | None = None, *, batch_size: int | None = None,
                 ) -> np.ndarray:
    """One returned array as float64, after checking its type, dtype, shape and finiteness.

    Inputs:
    - function, name: for the message ("affine_backward", "dw").
    - value: what came back.
    - shape: the required shape (taken from `expected` when omitted).
    - expected: the right values, only to name a shape diagnosis (transposed...).
    """
    if shape is None and expected is not None:
        shape = np.shape(expected)
    if value is None:
        raise CheckFailed(f"{function} returned None for {name}; expected a numpy array"
                          + (f" of shape {shape}" if shape is not None else ""))
    if isinstance(value, (list, tuple)):
        raise CheckFailed(f"{function} returned a Python {type(value).__name__} for {name}; "
                          "return a numpy array (np.array(...))")
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (np.ndarray, np.generic, int, float)):
        raise CheckFailed(f"{function} returned {_kind(value)} for {name}; expected a numpy array")
    array = np.asarray(value)
    if array.dtype.kind in "biu":
        raise CheckFailed(f"{function} returned {name} with integer dtype {array.dtype}; "
                          "it must be a floating-point array (did an integer array get "
                          "modified in place?)")
    if (shape is not None and len(tuple(shape)) == 1 and array.shape == (1, *tuple(shape))):
        # keepdims=True: CS231n's rel_error accepts (1, D) for (D,); so do we, visibly
        note(f"{function} returned {name} of shape {array.shape} where {tuple(shape)} is "
             f"expected; accepted (keepdims), but return shape {tuple(shape)}")
        array = array.reshape(tuple(shape))
    if shape is not None and array.shape != tuple(shape):
        diagnosis = None
        if expected is not None:
            found = diagnose(name, array, np.asarray(expected, dtype=np.float64),
                             batch_size=batch_size)
            diagnosis = found.code if found else None
            words = f": {found.words}" if found and found.code != "shape_mismatch" else ""
        else:
            words = ""
        raise CheckFailed(f"{function} returned {name} of shape {array.shape}; expected shape "
                          f"{tuple(shape)}{words}", diagnosis=diagnosis)
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise CheckFailed(f"{function} returned {name} containing NaN or infinity",
                          diagnosis="nan_inf")
    return array


@_blaming
def expect_scalar(function: str, name: str, value: Any) -> float:
    """A returned number (Python or numpy scalar, or an array with one element), finite."""
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind == "f":
        value = value.reshape(())[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise CheckFailed(f"{function} returned {_kind(value)} for {name}; expected a number")
    number = float(value)
    if not np.isfinite(number):
        raise CheckFailed(f"{function} returned {name} = {number}; expected a finite number",
                          diagnosis="nan_inf")
    return number


def reply_names(keep: Sequence[int]) -> list[str] | None:
    """The names of the values a call with `keep` returns ("out", "cache"; "out0", "out1",
    "cache"), or None when the call puts no rule on them (no keep, or keep=(-1,): the whole
    value stays in the child)."""
    keep = tuple(keep or ())
    if not keep or keep == (-1,):
        return None
    outputs = max(keep)
    return (["out"] if outputs == 1 else [f"out{i}" for i in range(outputs)]) + ["cache"]


def validated_reply(call: Call, value: Any) -> Any:
    """`value` when it is what `call` may return (see the module docstring), else the
    StudentError "bad_return" naming `call.function` and what came back."""
    names = reply_names(call.keep)
    if names is None or isinstance(value, StudentError):
        return value
    try:
        return expect_tuple(call.function, value, names)
    except CheckFailed as failure:
        return StudentError("bad_return", failure.message, function=call.function)


class ValidatedRunner:
    """Wraps the runner a check gets; every reply goes through `validated_reply`."""

    def __init__(self, inner):
        self.inner = inner

    def call(self, module, function, *args, keep=(), **kwargs):
        result = self.call_many([Call(module, function, args, kwargs, tuple(keep))])[0]
        if isinstance(result, StudentError):
            raise result
        return result

    def call_many(self, calls):
        calls = list(calls)
        return [validated_reply(call, value)
                for call, value in zip(calls, self.inner.call_many(calls))]

    def __getattr__(self, name):  # drop, close, round-trip counters: the inner runner's
        if name == "inner":  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)
