"""Layer cases: every forward/backward pair of an assignment on standard and hard inputs.

The cases of an assignment live beside its solutions, in `<folder>/cases.py` (a list `CASES`
of `LayerCase`); the framework knows none by name. `load_cases(folder, name)` imports that file
(through `grader.course`) and registers its cases under the assignment's name; collecting an
assignment's checks does it (`grader.checks.registry.collect_paths`), and
`grader.assignment.Assignment.layer_cases()` does it on the grader side. One list serves the
reference tests, the demo table, the public and hidden gradient checks and the notebooks. A case
names its functions and makes its own inputs from an rng, so it can be run in-process
(`reference_gradcheck`) or through a student runner (`upstream_gradients` and
`numerical_gradients`, see run.py).

Public API: `LayerCase`, `KINDS` (case.py); the input samplers and numerical settings
(inputs.py); `upstream_gradients`, `numerical_gradients`, `as_gradients`,
`reference_gradcheck` (run.py); `load_cases`, `register`, `registered`, `cases_for` (here).
"""

from __future__ import annotations

from pathlib import Path

from .case import KINDS, LayerCase
from .run import as_gradients, numerical_gradients, reference_gradcheck, upstream_gradients

_REGISTRY: dict[str, tuple[LayerCase, ...]] = {}


def register(assignment: str, cases) -> tuple[LayerCase, ...]:
    """Make `cases` the layer cases of `assignment` (replacing any registered before).
    Raises ValueError for a case of another assignment or two cases with one id."""
    cases = tuple(cases)
    seen = set()
    for case in cases:
        if not isinstance(case, LayerCase):
            raise ValueError(f"{assignment}: CASES holds {case!r}, not a LayerCase")
        if case.assignment != assignment:
            raise ValueError(f"layer case {case.id} belongs to {case.assignment!r}, "
                             f"not to {assignment!r}")
        if case.id in seen:
            raise ValueError(f"duplicate layer case {case.id}")
        seen.add(case.id)
    _REGISTRY[assignment] = cases
    return cases


def load_cases(folder: str | Path, assignment: str) -> tuple[LayerCase, ...]:
    """Import `<folder>/cases.py` and register its `CASES` under `assignment`; an assignment
    without a cases.py has none (an empty tuple is registered)."""
    from grader.course import CASES_MODULE, course_module

    module = course_module(folder, CASES_MODULE)
    if module is None:
        return register(assignment, ())
    if not hasattr(module, "CASES"):
        raise ValueError(f"{Path(folder) / 'cases.py'} defines no CASES (a list of LayerCase)")
    return register(assignment, module.CASES)


def registered(assignment: str) -> tuple[LayerCase, ...]:
    """The registered cases of `assignment`; KeyError (naming the fix) when none were loaded."""
    try:
        return _REGISTRY[assignment]
    except KeyError:
        raise KeyError(f"no layer cases are loaded for assignment {assignment!r}: load its "
                       "cases.py first (grader.layercases.load_cases, or collect its checks)") from None


def cases_for(assignment: str, *, function: str | None = None,
              tags: set[str] | frozenset[str] = frozenset()) -> list[LayerCase]:
    """An assignment's cases filtered by a function they exercise ("<module>.<function>" or just
    "<function>") and by tags (a case must carry all of them), in catalogue order."""
    out = []
    for c in registered(assignment):
        if function is not None and not any(f == function or f.endswith("." + function)
                                            for f in c.functions):
            continue
        if not set(tags) <= c.tags:
            continue
        out.append(c)
    return out


__all__ = ["KINDS", "LayerCase", "as_gradients", "cases_for", "load_cases",
           "numerical_gradients", "reference_gradcheck", "register", "registered",
           "upstream_gradients"]
