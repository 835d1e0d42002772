"""Recording the expected values of the visible checks for the student release.

`record_public_expected(assignment)` runs every visible check against the reference solutions
(through a runner, like any submission) with `ctx.expected` in record mode and returns the
values it asked for: {"<check id>::<key>[#i]": array}. The release engineer writes them with
`save_public_expected(values, path)` next to the released checks; the student's local `check`
replays them, so visible checks compare with reference outputs without shipping the reference.
Grader only: never released.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from grader.assignment import Assignment, load_assignment
from grader.checks.context import ExpectedValues, flatten_expected, public_context
from grader.checks.registry import collect
from grader.checks.run import run_check


def record_public_expected(assignment: str | Assignment, *,
                           runner_factory: Callable | None = None) -> dict[str, np.ndarray]:
    """The flattened expected values of every visible check (see the module docstring).

    Raises RuntimeError when a visible check does not pass on the reference: the release must
    not ship a check the reference fails.
    """
    if not isinstance(assignment, Assignment):
        assignment = load_assignment(assignment)
    if runner_factory is None:
        from grader.runner import make_runner_factory
        runner_factory = make_runner_factory("subprocess")
    reference = assignment.reference_modules()
    values = ExpectedValues("record")
    runner = runner_factory(str(assignment.root))
    try:
        for spec in collect(assignment):
            if spec.visibility != "visible":
                continue
            result = run_check(spec, public_context(spec.id, runner, values, reference))
            if result.status != "passed":
                raise RuntimeError(f"visible check {spec.id} fails on the reference solutions: "
                                   f"{result.message}")
    finally:
        runner.close()
    return flatten_expected(values.values)
