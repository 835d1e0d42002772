"""Running one check: its outcome becomes a `CheckResult`, whatever the student did.

`run_check(spec, ctx)` calls the check; success is "passed" with full points, `CheckFailed` is
"failed" (with partial credit when the check grants it), a `StudentError` from the runner maps
by kind (not_implemented, missing, timeout, error). A failure inside another of the student's
functions than the one the check's task is named after gets the diagnosis "in:<function>", so
even a hidden check can say which layer to fix first. The check sees its runner through
`grader.checks.validate.ValidatedRunner`, so a forward's (out, cache) reply of the wrong length
or type is a failed check, not an unpacking error. Any other exception is a bug in the check
or the framework and propagates with its file and line.

Student-safe: standard library, numpy and grader.runner.protocol only.
"""

from __future__ import annotations

import dataclasses

from grader.checks.context import Context
from grader.checks.notes import collecting, with_notes
from grader.checks.results import CheckResult
from grader.checks.spec import CheckFailed, CheckSpec
from grader.checks.validate import ValidatedRunner
from grader.runner.protocol import StudentError

#: StudentError kind -> CheckResult status.
STATUS_OF_KIND = {
    "not_implemented": "not_implemented",
    "missing": "missing",
    "timeout": "timeout",
    "bad_return": "failed",
    "exception": "error",
    "crashed": "error",
    "import_error": "error",
}


def result_of(spec: CheckSpec, status: str, message: str, *, score: float = 0.0,
              diagnosis: str | None = None, errors=None, thresholds=None) -> CheckResult:
    return CheckResult(check_id=spec.id, task=spec.task, status=status, score=score,
                       max_score=spec.points, visibility=spec.visibility, message=message,
                       diagnosis=diagnosis, errors=dict(errors or {}),
                       thresholds=dict(thresholds or {}))


def elsewhere(spec: CheckSpec, function: str | None) -> str | None:
    """The diagnosis "in:<function>" when a check of one task (named after its function, e.g.
    backprop/relu_backward) was stopped by another of the student's functions, such as the
    affine_backward of a network a behavioural check builds; else None."""
    if function and function != spec.task.rsplit("/", 1)[-1]:
        return f"in:{function}"
    return None


def student_error_result(spec: CheckSpec, error: StudentError) -> CheckResult:
    """The result of a check stopped by a failing student call."""
    return result_of(spec, STATUS_OF_KIND.get(error.kind, "error"), error.message,
                     diagnosis=elsewhere(spec, error.function))


def run_check(spec: CheckSpec, ctx: Context) -> CheckResult:
    """Run one check in `ctx` and return its result (see the module docstring)."""
    if ctx is not None and not isinstance(ctx.student, ValidatedRunner):
        ctx = dataclasses.replace(ctx, student=ValidatedRunner(ctx.student))
    with collecting() as notes:
        try:
            spec.function(ctx)
        except (CheckFailed, StudentError) as stopped:
            return _stopped(spec, stopped)
    return result_of(spec, "passed", with_notes(spec.message, notes), score=spec.points)


def _stopped(spec: CheckSpec, stopped: Exception) -> CheckResult:
    if isinstance(stopped, StudentError):
        return student_error_result(spec, stopped)
    return result_of(spec, "failed", stopped.message, score=spec.points * stopped.partial,
                     diagnosis=elsewhere(spec, stopped.function) or stopped.diagnosis,
                     errors=stopped.errors, thresholds=stopped.thresholds)


def run_public_checks(check_paths, *, assignment_name: str, runner, expected_values,
                      reference=None, tasks=None, fixed_points=None) -> list[CheckResult]:
    """Run the visible checks of some check module files against `runner` (with the checks
    derived for `tasks`, see `grader.checks.registry.collect_paths`).

    The student release calls this with `ExpectedValues("replay", load_public_expected(...))`;
    the release gate and tests call it with the reference too. Hidden checks in the files (there
    are none in a release) are skipped.
    """
    from grader.checks.context import public_context
    from grader.checks.registry import collect_paths

    results = []
    for spec in collect_paths(check_paths, assignment_name=assignment_name, tasks=tasks,
                              fixed_points=fixed_points):
        if spec.visibility != "visible":
            continue
        results.append(run_check(spec, public_context(spec.id, runner, expected_values,
                                                      reference)))
    return results
