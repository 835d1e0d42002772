"""Step: the assignment's public metadata (assignment.toml: tasks, points, due date) ships as is,
and again as assignment.json for Python 3.10, whose standard library has no TOML reader (the
student's `check` needs numpy alone; `grader.student.layout` reads the JSON where `tomllib` is
absent).

It holds no secret; the student's `check` reads it to name tasks and points.
"""

from __future__ import annotations

import json

from grader.assignment import tomllib
from grader.release.build import Build

METADATA_JSON = "assignment.json"


def copy_metadata(build: Build) -> None:
    toml = (build.assignment.root / "assignment.toml").read_bytes()
    build.files["assignment.toml"] = toml
    data = tomllib.loads(toml.decode("utf-8"))
    build.files[METADATA_JSON] = (json.dumps(data, indent=1, sort_keys=True, default=str,
                                             ensure_ascii=False) + "\n").encode("utf-8")
