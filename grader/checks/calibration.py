"""Calibration of an assignment's behavioural scenarios: what the reference must pass, and where.

A behavioural scenario (a function `scenario(student, rng, *args)` in the assignment folder's
`behaviours.py` or `behaviours/` package) holds thresholds the reference must meet on every
seed, with margin. Each scenario a hidden check runs is declared in `<folder>/calibration.py`:

    from grader.checks.calibration import Calibration
    from .behaviours import sigmoid

    CALIBRATIONS = [Calibration(sigmoid.sigmoid_saturation),
                    Calibration(bn.batchnorm_dx_sums_to_zero, kwargs={"backward": "batchnorm_backward"})]
    # stricter values the reference must still meet: (module, constant) -> value
    TIGHTER = {(sigmoid, "MIN_SATURATED_FRACTION"): 0.95}

tests/checks/test_behaviour_calibration.py runs every assignment's CALIBRATIONS against the
reference (in process) on many seeds with every TIGHTER value in place; the release refuses a
hidden check that runs a scenario with arguments no calibration declares
(`grader.release.authoring`). calibration.py is grader side only: nothing the release ships
imports it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from grader.course import course_module, course_package_name

CALIBRATION_MODULE = "calibration"
BEHAVIOURS_MODULE = "behaviours"


@dataclass(frozen=True)
class Calibration:
    """One scenario run to calibrate: `scenario(runner, rng, *args, **kwargs)`."""

    scenario: Callable
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def module(self) -> str:
        """The scenario's module relative to its assignment folder ("behaviours.sigmoid")."""
        return relative_module(self.scenario.__module__)

    @property
    def id(self) -> str:
        """"behaviours.sigmoid.sigmoid_saturation" plus its extra arguments, if any."""
        extra = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.module}.{self.scenario.__name__}" + (f"({', '.join(extra)})" if extra else "")

    def arguments(self) -> dict[str, Any]:
        """The extra arguments (after student and rng) by parameter name, defaults applied."""
        return bound_arguments(self.scenario, self.args, self.kwargs)


def relative_module(qualified: str) -> str:
    """"_course_backprop_1a2b3c4d.behaviours.sigmoid" -> "behaviours.sigmoid"."""
    head, _, rest = qualified.partition(".")
    return rest if head.startswith("_course_") else qualified


def bound_arguments(scenario: Callable, args: tuple, kwargs: dict) -> dict[str, Any]:
    """{parameter: value} of `scenario(student, rng, *args, **kwargs)` beyond its first two
    parameters, defaults applied; TypeError when the arguments do not fit its signature."""
    bound = inspect.signature(scenario).bind(None, None, *args, **kwargs)
    bound.apply_defaults()
    return dict(list(bound.arguments.items())[2:])


@dataclass(frozen=True)
class CalibrationSet:
    """An assignment folder's calibration.py: its CALIBRATIONS and TIGHTER (may be empty)."""

    folder: Path
    calibrations: tuple[Calibration, ...]
    tighter: dict

    @property
    def path(self) -> Path:
        return self.folder / f"{CALIBRATION_MODULE}.py"


def load_calibrations(folder: str | Path) -> CalibrationSet:
    """Import `<folder>/calibration.py` (as a submodule of the folder's package) and read it; an
    assignment without one has no calibrations. ValueError for a malformed declaration."""
    folder = Path(folder).resolve()
    module = course_module(folder, CALIBRATION_MODULE)
    if module is None:
        return CalibrationSet(folder, (), {})
    path = folder / f"{CALIBRATION_MODULE}.py"
    calibrations = tuple(getattr(module, "CALIBRATIONS", ()))
    for item in calibrations:
        if not isinstance(item, Calibration):
            raise ValueError(f"{path}: CALIBRATIONS holds {item!r}, not a Calibration")
        if not item.scenario.__module__.startswith(course_package_name(folder) + "."):
            raise ValueError(f"{path}: {item.scenario.__name__} is not a function of {folder}")
        bound_arguments(item.scenario, item.args, item.kwargs)
    tighter = dict(getattr(module, "TIGHTER", {}))
    for (target, constant) in tighter:
        if not hasattr(target, constant):
            raise ValueError(f"{path}: TIGHTER names {constant}, which "
                             f"{relative_module(target.__name__)} does not define")
    return CalibrationSet(folder, calibrations, tighter)


def calibrate(folder: str | Path, *, seeds: int = 25) -> list[str]:
    """Run every calibration of `folder`'s calibration.py against the folder's reference modules
    (in process, `InProcessRunner`) on seeds 0 .. seeds-1, with every TIGHTER value in place
    (restored afterwards). Returns one line per scenario and seed that fails (an empty list when none do):
    what tests/checks/test_behaviour_calibration.py asserts of the bundled assignments."""
    import numpy as np

    from grader.assignment import load_assignment
    from grader.checks.behaviour_inprocess import InProcessRunner
    from grader.checks.spec import CheckFailed

    folder = Path(folder).resolve()
    found = load_calibrations(folder)
    runner = InProcessRunner(load_assignment(folder).reference_modules())
    saved = {key: getattr(key[0], key[1]) for key in found.tighter}
    failures = []
    try:
        for (module, constant), value in found.tighter.items():
            setattr(module, constant, value)
        for item in found.calibrations:
            for seed in range(seeds):
                try:
                    item.scenario(runner, np.random.default_rng(seed), *item.args, **item.kwargs)
                except CheckFailed as failed:
                    failures.append(f"{item.id}, seed {seed}: {failed}")
    finally:
        for (module, constant), value in saved.items():
            setattr(module, constant, value)
    return failures
