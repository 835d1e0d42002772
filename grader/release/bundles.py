"""Step: dist/<a>-student.zip, the student folder as one deterministic archive.

Members sit under "<a>/" so unzipping gives the folder `assignments/<a>/` holds.
"""

from __future__ import annotations

from grader.release.archive import deterministic_zip
from grader.release.build import Build


def pack_student_zip(build: Build) -> None:
    build.dist[f"{build.name}-student.zip"] = deterministic_zip(build.files, prefix=f"{build.name}/")
