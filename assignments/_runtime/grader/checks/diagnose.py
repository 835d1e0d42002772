"""Name the bug class of a wrong gradient (or output), in codes and in plain words.

`diagnose(name, got, expected, ...)` compares what the student returned with the right answer
and returns a `Diagnosis(code, words)` when a known pattern fits, else None:

    shape_mismatch, transposed, missing_batch_sum, nan_inf, zeros, sign_flipped,
    scaled:<factor> (e.g. scaled:N, scaled:1/N, scaled:2), overwrite_not_accumulate (wrong only
    where windows overlap or indices repeat), used_output_not_input / used_input_not_output /
    mask_wrong_array (a candidate built from the layer's own input and output matches),
    mask_wrong_region (right in places, zero or unmasked in the others).

Pure numpy: ships in the student release so local checks give the same hints.
"""

from __future__ import annotations

import string

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

#: Relative tolerance for "this pattern explains the student's array" (looser than a pass).
MATCH_TOL = 1e-5


@dataclass(frozen=True)
class Diagnosis:
    """code: machine-readable bug class; words: one sentence for the student."""

    code: str
    words: str


def _scale(expected: np.ndarray) -> float:
    return float(np.max(np.abs(expected))) if expected.size else 0.0


def _close(got: np.ndarray, want: np.ndarray, scale: float, tol: float = MATCH_TOL) -> bool:
    if got.shape != want.shape:
        return False
    if got.size == 0:
        return True
    return float(np.max(np.abs(got - want))) <= tol * max(scale, 1e-12)


def _factor_label(c: float, batch_size: int | None) -> str | None:
    """A readable name for the constant factor c, or None when c is 1 (no scaling)."""
    if abs(c - 1.0) <= 1e-4:
        return None
    if batch_size and batch_size > 1:
        if abs(c - batch_size) <= 1e-4 * batch_size:
            return "N"
        if abs(c * batch_size - 1.0) <= 1e-4:
            return "1/N"
    for k in range(2, 101):
        if abs(c - k) <= 1e-4 * k:
            return str(k)
        if abs(c * k - 1.0) <= 1e-4:
            return f"1/{k}"
    return f"{c:.3g}"


WORDS = {
    "shape_mismatch": "your {name} has shape {got_shape} but the expected shape is {want_shape}",
    "reshape_needed": "your {name} has the right values but shape {got_shape}; reshape it to "
                      "{want_shape}",
    "transposed": "your {name} looks like the transpose of the expected {what}",
    "missing_batch_sum": "your {name} keeps one row per example: sum it over the batch (axis 0)",
    "nan_inf": "your {name} contains NaN or infinity",
    "zeros": "your {name} is all zeros",
    "sign_flipped": "your {name} has the right magnitude but the opposite sign",
    "scaled:N": "your {name} is the expected {what} multiplied by the batch size N",
    "scaled:1/N": "your {name} is the expected {what} divided by the batch size N (averaged "
                  "where a sum was needed?)",
    "scaled": "your {name} is the expected {what} multiplied by {factor}",
    "overwrite_not_accumulate": "your {name} is wrong only where pooling windows overlap or "
                                "indices repeat: accumulate with += instead of overwriting",
    "used_output_not_input": "your {name} uses the layer's output where its input was needed",
    "used_input_not_output": "your {name} uses the layer's input where its output was needed",
    "mask_wrong_array": "your {name} applies the mask to the wrong array (e.g. to dout instead "
                        "of the input)",
    "mask_wrong_region": "your {name} is right in some places but zero (or not zeroed) in "
                         "others: a mask is applied to the wrong region",
    "forward_wrong_backward_consistent": "your {name} is consistent with your own forward pass, "
                                         "but the forward pass itself is wrong",
}


#: Sentences for when the details a WORDS entry quotes are not known (e.g. a class overview).
GENERIC = {
    "shape_mismatch": "your {name} has the wrong shape",
    "reshape_needed": "your {name} has the right values but the wrong shape",
    "scaled": "your {name} is the expected {what} multiplied by a constant",
}


def describe(code: str, name: str, *, what: str = "gradient", **details) -> str:
    """The plain-words sentence for a diagnosis code (as returned in `Diagnosis.code`); `what`
    names the kind of array ("gradient", or "value" for a forward output)."""
    details = {**details, "what": what}
    if code.startswith("in:"):
        function = code[3:]
        return (f"this check also runs your {function}, and {function} stopped it: fix "
                f"{function} first (its own checks say what is wrong)")
    if code in WORDS:
        template = WORDS[code]
    elif code.startswith("scaled:"):
        template, details = WORDS["scaled"], {**details, "factor": code.split(":", 1)[1]}
    else:
        return f"your {name} is wrong ({code})"
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    generic = "scaled" if code.startswith("scaled") else code
    if generic in GENERIC and not fields <= {"name", *details}:
        template = GENERIC[generic]
    return template.format_map(_Defaults(name=name, **details))


class _Defaults(dict):
    """format_map mapping that shows '?' for details the caller did not give."""

    def __missing__(self, key: str) -> str:
        return "?"


def _make(code: str, name: str, **details) -> Diagnosis:
    return Diagnosis(code, describe(code, name, **details))


def diagnose(name: str, got, expected, *, batch_size: int | None = None,
             overlap: np.ndarray | None = None,
             candidates: Mapping[str, Sequence[np.ndarray]] | None = None,
             what: str | None = None) -> Diagnosis | None:
    """The bug class that explains `got` instead of `expected`, or None.

    Inputs:
    - name: what the array is called in the student's code ("dw").
    - got: the student's array (any shape; float).
    - expected: the right array.
    - batch_size: N, to name a factor of N or 1/N.
    - overlap: bool array of expected's shape, True where windows overlap / indices repeat.
    - candidates: {code: [array, ...]} wrong gradients a known confusion would give (see
      `local_confusions`); the first match names the diagnosis.
    - what: "gradient" or "value" (a forward's output), for the words; by default "gradient"
      for names like "dx", "dW", else "value".

    A single number (a loss) gets only nan_inf or shape diagnoses: any two numbers are "scaled"
    versions of each other, which says nothing.

    Returns None when got matches expected or no pattern fits.
    """
    if what is None:
        what = "gradient" if len(name) > 1 and name[0] == "d" and name[1].isalpha() else "value"
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    scale = _scale(expected)
    shapes = {"got_shape": got.shape, "want_shape": expected.shape}
    if got.shape != expected.shape:
        if got.shape == expected.shape[::-1] and _close(got.T, expected, scale):
            return _make("transposed", name, what=what)
        if (got.ndim == expected.ndim + 1 and got.shape[0] > 1
                and _close(got.sum(axis=0), expected, scale)):
            return _make("missing_batch_sum", name, what=what)
        if got.size == expected.size and _close(got.reshape(expected.shape), expected, scale):
            return _make("reshape_needed", name, what=what, **shapes)
        return _make("shape_mismatch", name, what=what, **shapes)
    if not np.all(np.isfinite(got)):
        return _make("nan_inf", name, what=what)
    if _close(got, expected, scale):
        return None
    if expected.size <= 1:
        return None
    if not np.any(got) and np.any(expected):
        return _make("zeros", name, what=what)
    if _close(got, -expected, scale):
        return _make("sign_flipped", name, what=what)
    if got.ndim == 2 and got.shape[0] == got.shape[1] and _close(got.T, expected, scale):
        return _make("transposed", name, what=what)
    denominator = float(np.sum(expected * expected))
    if denominator > 0:
        c = float(np.sum(got * expected)) / denominator
        label = _factor_label(c, batch_size)
        if label is not None and _close(got, c * expected, scale * max(1.0, abs(c))):
            return _make(f"scaled:{label}", name, what=what)
    if overlap is not None and overlap.shape == expected.shape and np.any(overlap):
        outside = ~overlap
        if _close(got[outside], expected[outside], scale) and not _close(
                got[overlap], expected[overlap], scale):
            return _make("overwrite_not_accumulate", name, what=what)
    for code, arrays in (candidates or {}).items():
        for candidate in arrays:
            candidate = np.asarray(candidate, dtype=np.float64)
            if _close(got, candidate, max(scale, _scale(candidate))):
                return _make(code, name, what=what)
    differ = np.abs(got - expected) > MATCH_TOL * max(scale, 1e-12)
    tiny = MATCH_TOL * max(scale, 1e-12)
    if differ.any() and not differ.all():
        one_is_zero = (np.abs(got) <= tiny) | (np.abs(expected) <= tiny)
        if np.all(one_is_zero[differ]):
            return _make("mask_wrong_region", name, what=what)
    return None


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def local_confusions(family: str | None, x: np.ndarray, out: np.ndarray,
                     dout: np.ndarray) -> dict[str, list[np.ndarray]]:
    """Wrong gradients that well-known confusions in elementwise layers produce.

    Inputs:
    - family: the layer's kind (`LayerCase.family`): "sigmoid", "tanh", "rectifier" (relu,
      leaky relu) or "clip"; any other gives no candidates.
    - x: the forward's input; out: its (correct) output; dout: the upstream gradient, all of
      one shape.

    Returns {diagnosis code: [candidate dx, ...]}; empty for layers without known confusions.
    """
    with np.errstate(all="ignore"):
        if family == "sigmoid":
            return {"used_output_not_input": [dout * out, dout * _sigmoid(out) * (1 - _sigmoid(out)),
                                              dout * _sigmoid(x) * (1 - out)],
                    "used_input_not_output": [dout * x * (1 - x)]}
        if family == "tanh":
            return {"used_output_not_input": [dout * (1 - np.tanh(out) ** 2), dout * out],
                    "used_input_not_output": [dout * (1 - x ** 2)]}
        if family == "rectifier":
            return {"mask_wrong_array": [dout * (dout > 0), np.maximum(dout, 0)]}
        if family == "clip":
            return {"mask_wrong_array": [dout * (np.abs(dout) <= 1)]}
    return {}
