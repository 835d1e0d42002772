"""The catalogue of layer cases: every forward/backward pair on standard and hard inputs.

One list serves the reference tests (tests/solutions), the demo table and the hidden gradient
checks. A case names its functions and makes its own inputs from an rng, so it can be run
in-process (`reference_gradcheck`) or through a student runner (`upstream_gradients` and
`numerical_gradients`, see run.py).
"""

from __future__ import annotations

from . import backprop, rnn
from .case import KINDS, LayerCase
from .run import as_gradients, numerical_gradients, reference_gradcheck, upstream_gradients

CASES: tuple[LayerCase, ...] = tuple(backprop.CASES) + tuple(rnn.CASES)
GRADIENT_CASES: tuple[LayerCase, ...] = tuple(c for c in CASES if c.kind != "forward")


def cases_for(assignment: str | None = None, *, function: str | None = None,
              tags: set[str] | frozenset[str] = frozenset()) -> list[LayerCase]:
    """Cases filtered by assignment name, by a function they exercise ("layers.affine_backward"
    or just "affine_backward") and by tags (a case must carry all of them)."""
    out = []
    for c in CASES:
        if assignment is not None and c.assignment != assignment:
            continue
        if function is not None and not any(f == function or f.endswith("." + function)
                                            for f in c.functions):
            continue
        if not set(tags) <= c.tags:
            continue
        out.append(c)
    return out


__all__ = ["CASES", "GRADIENT_CASES", "KINDS", "LayerCase", "as_gradients", "cases_for",
           "numerical_gradients", "reference_gradcheck", "upstream_gradients"]


def _check_unique_names() -> None:
    seen = set()
    for c in CASES:
        if c.id in seen:
            raise ValueError(f"duplicate layer case {c.id}")
        seen.add(c.id)


_check_unique_names()
