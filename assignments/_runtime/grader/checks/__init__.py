"""The check model: declarations, context, results, scoring, diagnoses, gradient checks.

    from grader.checks import check, CheckFailed

`STUDENT_SAFE_MODULES` lists (repo-relative) the framework modules the student release vendors
for the local `check`: they import only the standard library, numpy, grader.gradcheck,
grader.runner.{protocol,client,child,session,jobdir} and each other. Hidden-check logic, the
course secret (`secret.py`), reference loading and grading (`grade.py`, `expected.py`)
stay out of them; tests/checks/test_student_safe.py proves it by importing each
one with everything else blocked.
"""

from pathlib import Path

from grader.checks.spec import VISIBILITIES, CheckFailed, CheckSpec, check

#: The layer case catalogue (every module of the package): the public checks draw from it.
_LAYERCASES = tuple(sorted(f"grader/layercases/{p.name}"
                           for p in (Path(__file__).resolve().parents[1] / "layercases").glob("*.py")))

STUDENT_SAFE_MODULES = (
    "grader/checks/__init__.py",
    "grader/checks/spec.py",
    "grader/checks/results.py",
    "grader/checks/scoring.py",
    "grader/checks/context.py",
    "grader/checks/registry.py",
    "grader/checks/diagnose.py",
    "grader/checks/validate.py",
    "grader/checks/run.py",
    "grader/checks/notes.py",
    "grader/checks/files.py",
    "grader/checks/gradients.py",
    "grader/checks/layer_calls.py",
    "grader/checks/scenarios.py",
    "grader/checks/catalogue.py",
    "grader/checks/derived.py",
    "grader/course.py",
) + _LAYERCASES

__all__ = ["STUDENT_SAFE_MODULES", "VISIBILITIES", "CheckFailed", "CheckSpec", "check"]
