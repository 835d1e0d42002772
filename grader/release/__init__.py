"""The release pipeline: solutions/<a>/ becomes assignments/<a>/ and dist/, provably leak-free.

`build_release(names, repo=...)` runs the ordered steps of `grader.release.pipeline` and the
gates of `grader.release.gates`; `write_release(builds, ...)` writes what they made.
"""

from grader.release.build import Build, ReleaseError
from grader.release.pipeline import STEPS, build_assignment, build_release, write_release

__all__ = ["Build", "ReleaseError", "STEPS", "build_assignment", "build_release", "write_release"]
