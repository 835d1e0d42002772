"""Step: the assignment's public metadata (assignment.toml: tasks, points, due date) ships as is.

It holds no secret; the student's `check` reads it to name tasks and points.
"""

from __future__ import annotations

from grader.release.build import Build


def copy_metadata(build: Build) -> None:
    build.files["assignment.toml"] = (build.assignment.root / "assignment.toml").read_bytes()
