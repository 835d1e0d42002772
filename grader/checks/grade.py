"""Grading one submission: every check of the assignment through one runner.

    grade_submission(submission_dir, assignment=..., student_id=..., secret=...,
                     runner_factory=...) -> SubmissionResult

`submission_dir` is a folder of modules or one module file (a lone `layers.py`); tasks whose
modules the submission lacks are "missing" without a call. Visible checks draw inputs from their
public seed, hidden ones from HMAC(secret, student id, check id). Reference values are computed
here from the reference modules, which load in this process; student code runs only behind the
runner. Grader only: never released.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from grader.assignment import Assignment, load_assignment
from grader.checks.context import Context, ExpectedValues, public_seed
from grader.checks.curves import plot_payload
from grader.checks.files import (CourseRunner, file_gate, file_notes, missing_message,
                                 numpy1_aliases_enabled, probe_imports)
from grader.checks.registry import collect
from grader.checks.results import SubmissionResult
from grader.checks.run import result_of, run_check
from grader.checks.secret import hidden_seed
from grader.checks.table import format_table  # noqa: F401  (the CLI imports it from here)


@contextmanager
def submission_folder(path: str | Path) -> Iterator[Path]:
    """The folder to run: `path` itself, or a temporary folder holding a lone module file."""
    path = Path(path)
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise FileNotFoundError(f"no submission at {path}")
    with tempfile.TemporaryDirectory(prefix="grader-lone-") as tmp:
        shutil.copyfile(path, Path(tmp) / path.name)
        yield Path(tmp)


def submission_hash(folder: Path, modules) -> str:
    """sha256 over the assignment's module files present (name and bytes, sorted by name)."""
    digest = hashlib.sha256()
    for stem in sorted(modules):
        file = folder / f"{stem}.py"
        if file.is_file():
            data = file.read_bytes()
            digest.update(f"{stem}.py\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def check_rng(spec, *, secret, student_id: str) -> np.random.Generator:
    """Public seed for visible checks, HMAC seed for hidden and after-due-date ones."""
    if spec.hidden:
        return np.random.default_rng(hidden_seed(secret, student_id, spec.id))
    return np.random.default_rng(public_seed(spec.id))


def run_checks(specs, runner, *, assignment: Assignment, student_id: str, secret: bytes | str,
               reference, present=None, broken=None, folder=None,
               expected_values: ExpectedValues | None = None) -> list:
    """Run `specs` in order against one open runner; checks of tasks whose modules are not in
    `present` (module stems; None means all) are "missing" without a call (naming a misnamed
    file found in `folder`), and those of modules in `broken` (stem -> (status, the file's
    message), grader.checks.files.probe_imports) get that status without a call.

    expected_values: where the reference values come from (default: computed for every
    check); a caller grading several submissions may pass one ExpectedValues("memo") to every
    run, so a reference value is computed once for each inputs (its key holds the check's
    generator state: two student ids, or two ways of drawing, never share a value)."""
    if expected_values is None:
        expected_values = ExpectedValues("compute")
    elif expected_values.mode not in ("compute", "memo"):
        raise ValueError(f"grading computes its reference values; got the mode "
                         f"{expected_values.mode!r}")
    results = []
    for spec in specs:
        # a task of no function (a network of the student's layers) lives in the main module
        modules = assignment.task(spec.task).modules or assignment.modules[:1]
        blocked = file_gate(spec, modules, present=present, broken=broken, folder=folder)
        if blocked is not None:
            results.append(blocked)
            continue
        ctx = Context(check_id=spec.id, student=runner,
                      rng=check_rng(spec, secret=secret, student_id=student_id),
                      expected_values=expected_values, reference=reference,
                      hidden=spec.hidden)
        try:
            results.append(run_check(spec, ctx))
        except Exception as exc:  # noqa: BLE001 - our bug, loud, and still the student's result
            results.append(internal_check_error(spec, exc))
    return results


def internal_check_error(spec, exc: BaseException):
    """A check that raised anything but CheckFailed/StudentError (a grader bug, e.g. on a value
    a student function returned that the check did not validate): the traceback goes to
    stderr with its file and line, and the check is recorded as "error", so the submission
    is still graded and recorded."""
    detail = "".join(traceback.format_exception(exc))
    print(f"internal grader error in check {spec.id}:\n{detail}", file=sys.stderr, flush=True)
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return result_of(spec, "error", f"internal grader error in this check ({type(exc).__name__}"
                                    f"{at}), probably on a value your function returned; it is "
                                    "a grader bug, not a verdict on your code", diagnosis=None)


def grade_submission(submission_dir: str | Path, *, assignment: str | Path | Assignment,
                     student_id: str, secret: bytes | str, runner_factory: Callable,
                     include_hidden: bool = True, tasks=None,
                     submitted_at: str | None = None, with_plots: bool = True) -> SubmissionResult:
    """Grade one submission; see the module docstring. with_plots: also compute the feedback
    page's curves from the student's layers (grader.checks.curves) into result.plots. A student's failure is a result; a bug
    in a check or in the framework raises.

    include_hidden=False runs only the visible checks; `tasks` (task ids) limits the grading
    to those tasks (e.g. to re-grade one task, or in tests)."""
    if not isinstance(assignment, Assignment):
        assignment = load_assignment(assignment)
    specs = [s for s in collect(assignment) if (include_hidden or not s.hidden)
             and (tasks is None or s.task in tasks)]
    if tasks is not None:
        unknown = set(tasks) - {t.id for t in assignment.tasks}
        if unknown:
            raise ValueError(f"assignment {assignment.name!r} has no tasks {sorted(unknown)}")
    reference = assignment.reference_modules()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    with submission_folder(submission_dir) as folder:
        present = {stem for stem in assignment.modules if (folder / f"{stem}.py").is_file()}
        digest = submission_hash(folder, assignment.modules)
        runner = runner_factory(str(folder))
        if not numpy1_aliases_enabled(assignment):
            runner = CourseRunner(runner, numpy1_aliases=False)
        try:
            # one message per file that does not import, instead of one per task
            broken = probe_imports(runner, present)
            results = run_checks(specs, runner, assignment=assignment, student_id=student_id,
                                 secret=secret, reference=reference, present=present,
                                 broken=broken, folder=folder)
            # The feedback page's curves, from the student's own layers (public inputs).
            working = [m for m in assignment.modules if m in present and m not in broken]
            try:
                plots = plot_payload(runner, modules=working) if with_plots and working else {}
            except Exception as exc:  # noqa: BLE001 - feedback curves are optional: loud, not fatal
                print(f"internal grader error in the feedback curves:\n"
                      f"{''.join(traceback.format_exception(exc))}", file=sys.stderr, flush=True)
                plots = {}
        finally:
            runner.close()
        notes = file_notes(folder, present, broken,
                           numpy1_aliases=numpy1_aliases_enabled(assignment))
        misnamed = [w for w in (missing_message(folder, m) for m in assignment.modules)
                    if ", but has " in w]
    graded = [r for r in results if r.status != "missing"]
    status, message = "graded", ""
    if graded and all(r.status == "timeout" for r in graded):
        status, message = "timeout", "; ".join(notes) or graded[0].message
    elif not present:
        message = f"the submission has none of the modules {', '.join(assignment.modules)}"
        if misnamed:
            message += ": " + "; ".join(misnamed)
    else:
        message = "; ".join(notes)
    return SubmissionResult(assignment=assignment.name, student=student_id,
                            submission_hash=digest, checks=results, status=status,
                            message=message, started_at=started,
                            duration_s=round(time.perf_counter() - t0, 6),
                            submitted_at=submitted_at, plots=plots)
