"""The student's side, shipped in the release: `python -m grader check` and `python -m grader
submit`. Standard library and numpy only, plus the student-safe framework modules
(grader.checks.STUDENT_SAFE_MODULES, grader.runner.client): the release vendors this package."""
