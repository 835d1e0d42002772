"""Floating point the release stores, made a function of the sources rather than of the CPU.

The reference's outputs that the public checks replay (public_expected.npz) come out of BLAS
and numpy's SIMD loops, whose kernels round differently on another CPU, BLAS build or numpy
version: the same sources give values a few units in the last place (ulp) apart. Two rules keep
the committed release current on every machine:

1. `canonical_values` rounds every float64 element to `SIGNIFICANT_BITS` (40) significant bits,
   round-half-even, with exact operations only (frexp, a power-of-two scale, rint, ldexp), so
   the result is the same on any IEEE-754 machine; -0.0 becomes 0.0 and every NaN the same NaN.
   40 bits are about 12 significant digits: a relative change of at most 2**-40 (9.1e-13) per
   element, far below the public checks' tolerances (1e-9 and up). A value a few ulp from a
   rounding boundary can still round the other way on another CPU (for a 1-ulp difference, about
   one element in 4,000), and cancellation noise (1e-17 where 0 is meant) keeps its kernel's
   digits, so:
2. `same_values` judges two stored value sets equal when they have the same keys, dtypes and
   shapes, equal non-float arrays and floats within `RELATIVE_TOLERANCE` (2**-36, 1.5e-11) of
   each other plus `SCALE_TOLERANCE` (2**-40) of the array's largest magnitude. Any real change of
   the sources (another input, another check, another formula) moves values by far more. The
   staleness test and `write_release` compare public_expected.npz with it, so a build on another
   CPU neither reports the committed release stale nor rewrites it.
"""

from __future__ import annotations

import io
from typing import Mapping

import numpy as np

SIGNIFICANT_BITS = 40
RELATIVE_TOLERANCE = 2.0 ** -36
SCALE_TOLERANCE = 2.0 ** -40


def canonical_array(array: np.ndarray) -> np.ndarray:
    """`array` with float64 (and complex128) elements rounded to SIGNIFICANT_BITS bits; other
    dtypes unchanged. Shape and dtype are kept."""
    array = np.asarray(array)
    if array.dtype == np.complex128:
        return canonical_array(array.real) + 1j * canonical_array(array.imag)
    if array.dtype != np.float64:
        return array
    mantissa, exponent = np.frexp(array)          # array = mantissa * 2**exponent, 0.5 <= |m| < 1
    scale = 2.0 ** SIGNIFICANT_BITS
    with np.errstate(invalid="ignore"):
        rounded = np.ldexp(np.rint(mantissa * scale) / scale, exponent) + 0.0  # -0.0 -> 0.0
    return np.where(np.isnan(array), np.nan, rounded).astype(np.float64)


def canonical_values(values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """{key: canonical_array(value)} for a flat mapping of arrays."""
    return {key: canonical_array(value) for key, value in values.items()}


def _load(data: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def value_differences(a: bytes, b: bytes) -> list[str]:
    """What differs between two .npz files beyond the tolerances above: one line per key
    (empty when they hold the same values)."""
    try:
        left, right = _load(a), _load(b)
    except (ValueError, OSError, EOFError) as error:
        return [f"not a readable .npz: {error}"]
    lines = [f"{key}: only in one of the two" for key in sorted(set(left) ^ set(right))]
    for key in sorted(set(left) & set(right)):
        x, y = left[key], right[key]
        if x.dtype != y.dtype or x.shape != y.shape:
            lines.append(f"{key}: {x.dtype}{x.shape} against {y.dtype}{y.shape}")
        elif x.dtype.kind not in "fc":
            if not np.array_equal(x, y):
                lines.append(f"{key}: values differ")
        elif not np.array_equal(np.isnan(x), np.isnan(y)) or not _close(x, y):
            lines.append(f"{key}: values differ beyond {RELATIVE_TOLERANCE:.1e} relative")
    return lines


def _close(x: np.ndarray, y: np.ndarray) -> bool:
    finite = np.isfinite(x) & np.isfinite(y)
    if not np.array_equal(x[~finite & ~np.isnan(x)], y[~finite & ~np.isnan(y)]):
        return False                                # infinities must match exactly
    x, y = x[finite], y[finite]
    if x.size == 0:
        return True
    scale = max(np.abs(x).max(), np.abs(y).max())
    allowed = RELATIVE_TOLERANCE * np.maximum(np.abs(x), np.abs(y)) + SCALE_TOLERANCE * scale
    return bool(np.all(np.abs(x - y) <= allowed))


def same_values(a: bytes, b: bytes) -> bool:
    """True when two .npz files hold the same values in the sense of the module docstring."""
    return not value_differences(a, b)
