"""The release pipeline: solutions/<a>/ becomes assignments/<a>/ and dist/, provably leak-free.

`build_release(names, repo=...)` runs the ordered steps of `grader.release.pipeline` (their
ordering rules are written beside the list) and the gates; `write_release(builds, ...)` writes
what they made, only once every gate passed. `python -m grader release [ASSIGNMENT...]`
(`make release`) does both.

What it writes, per assignment:
- assignments/<a>/ (committed; a test fails when it is stale): the stubbed modules, the public
  check modules, assignment.toml, public_expected.npz, README.md, <a>.ipynb, Makefile;
- assignments/_runtime/grader/ (committed, once for all assignments): the student-safe part of
  the framework (stdlib + numpy only) the student folders need (`grader.release.runtime`);
- dist/<a>-student.zip: the student folder under "<a>/" (assignments/<a>/ and its share of the
  runtime as `grader/`, so `python -m grader check` in it needs nothing but numpy),
  byte-identical across builds;
- dist/nbgrader/: an nbgrader course (nbgrader_config.py, source/<a>/<a>.ipynb with solution,
  locked and autograded cells, plus the vendored framework the test cells import);
- dist/<a>-gradescope.zip: a Gradescope autograder bundle (instructor-only; built only with
  `--gradescope-secret FILE`, whose secret it carries).
"""

from __future__ import annotations

import importlib

# Imported on first use (PEP 562), so that `grader.release.canonical` or `.build` alone does not
# load the whole pipeline (nbformat, nbgrader, jinja2).
_EXPORTS = {"Build": "grader.release.build", "ReleaseError": "grader.release.build",
            "STEPS": "grader.release.pipeline", "build_assignment": "grader.release.pipeline",
            "build_release": "grader.release.pipeline", "write_release": "grader.release.pipeline"}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'grader.release' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
