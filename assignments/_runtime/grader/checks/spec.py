"""Check declarations: the `@check` decorator, `CheckSpec` and `CheckFailed`.

A check is a plain function of one argument, the context `ctx`, declared beside the solutions:

    @check("backprop/affine_backward", points=2, visibility="hidden",
           message="affine_backward's dx, dw, db match numerical gradients on hard shapes")
    def affine_backward_hard(ctx): ...

It returns nothing on success and raises `CheckFailed` (a student's mistake, with a message) or
lets a `StudentError` from the runner propagate; anything else is a bug in the check. The decorator
only attaches a `CheckSpec` to the function (no global registry: `registry.collect` finds the
decorated functions of a module), so importing a checks module twice never double-counts.

Student-safe: standard library only (ships in the student release).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

VISIBILITIES = ("visible", "hidden", "after_due_date")
SPEC_ATTRIBUTE = "__check_spec__"


@dataclass(frozen=True)
class CheckSpec:
    """One declared check.

    id: "<assignment>/<function name>", e.g. "backprop/affine_backward_hard".
    task: the task id it scores, e.g. "backprop/affine_backward".
    points: the most it can score (> 0).
    visibility: "visible" | "hidden" | "after_due_date".
    message: what the student reads (the check's one-line purpose).
    function: the check itself, `function(ctx) -> None`.
    """

    id: str
    task: str
    points: float
    visibility: str
    message: str
    function: Callable = field(compare=False, repr=False)

    @property
    def hidden(self) -> bool:
        """True when inputs are per student (HMAC seed): "hidden" and "after_due_date" checks."""
        return self.visibility != "visible"


class CheckFailed(Exception):
    """A student's mistake found by a check: becomes a failed `CheckResult`, never a crash.

    message: plain words for the student, naming the function and what was wrong.
    diagnosis: a bug class code from `diagnose` ("transposed", "scaled:1/N", ...) or None.
    errors: measured relative errors by name, e.g. {"dx": 3e-2}.
    thresholds: the thresholds they were held to, same keys.
    partial: fraction of the check's points still earned (0 <= partial < 1), e.g. 0.5 when
        the backward is consistent with a wrong forward.
    function: the student function whose return value was wrong, when one was (set by the
        `validate` helpers).
    """

    def __init__(self, message: str, *, diagnosis: str | None = None,
                 errors: dict[str, float] | None = None,
                 thresholds: dict[str, float] | None = None, partial: float = 0.0,
                 function: str | None = None):
        super().__init__(message)
        if not 0.0 <= partial < 1.0:
            raise ValueError(f"partial credit must be in [0, 1), got {partial!r}")
        self.message = message
        self.diagnosis = diagnosis
        self.errors = dict(errors or {})
        self.thresholds = dict(thresholds or {})
        self.partial = float(partial)
        self.function = function


def check(task: str, *, points: float, visibility: str = "visible", message: str) -> Callable:
    """Declare a check of `task` worth `points`; see the module docstring.

    The check id is "<assignment of the task>/<function name>". Bad declarations (unknown
    visibility, non-positive points, a task id without an assignment prefix) raise ValueError
    at import time: they are our mistakes.
    """
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {VISIBILITIES}, got {visibility!r}")
    if not isinstance(points, (int, float)) or isinstance(points, bool) or not points > 0:
        raise ValueError(f"points must be a positive number, got {points!r}")
    if task.count("/") != 1 or not all(task.split("/")):
        raise ValueError(f"task must look like '<assignment>/<name>', got {task!r}")
    if not message or not message.strip():
        raise ValueError("a check needs a message for the student")

    def decorate(function: Callable) -> Callable:
        assignment = task.split("/")[0]
        spec = CheckSpec(id=f"{assignment}/{function.__name__}", task=task, points=float(points),
                         visibility=visibility, message=message.strip(), function=function)
        setattr(function, SPEC_ATTRIBUTE, spec)
        return function

    return decorate
