"""Step: the assignment's public metadata (assignment.toml: tasks, points, due date) ships as is,
followed by one generated table, and again as assignment.json for Python 3.10, whose standard
library has no TOML reader (the student's `check` needs numpy alone; `grader.student.layout`
reads the JSON where `tomllib` is absent).

The generated table, `[public_check_points]`, holds {check id: points} of the visible checks
derived from the layer cases (`grader.checks.derived`): their points are what is left of a
task's after its declared checks, hidden ones among them, which the release does not ship.

It holds no secret; the student's `check` reads it to name tasks and points.
"""

from __future__ import annotations

import json

from grader.assignment import tomllib
from grader.release.build import Build

METADATA_JSON = "assignment.json"


def public_points_toml(points: dict[str, float]) -> str:
    """The `[public_check_points]` table appended to the released assignment.toml."""
    from grader.checks.derived import PUBLIC_POINTS_TABLE

    lines = ["", "# Written by the release: the points of the visible checks derived from the layer",
             "# cases (grader/checks/derived.py), for the local check.", f"[{PUBLIC_POINTS_TABLE}]"]
    lines += [f'"{check_id}" = {value!r}' for check_id, value in points.items()]
    return "\n".join(lines) + "\n"


def copy_metadata(build: Build) -> None:
    from grader.checks.derived import public_points_table
    from grader.checks.registry import collect

    toml = (build.assignment.root / "assignment.toml").read_bytes()
    points = public_points_table(collect(build.assignment))
    if points:
        toml = toml.rstrip(b"\n") + b"\n" + public_points_toml(points).encode("utf-8")
    build.files["assignment.toml"] = toml
    data = tomllib.loads(toml.decode("utf-8"))
    build.files[METADATA_JSON] = (json.dumps(data, indent=1, sort_keys=True, default=str,
                                             ensure_ascii=False) + "\n").encode("utf-8")
