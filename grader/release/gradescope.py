"""Step: dist/<a>-gradescope.zip, a Gradescope autograder bundle (instructor-only).

Gradescope unpacks the bundle into /autograder/source, runs `setup.sh` once when the image is
built and `run_autograder` per submission, which must write /autograder/results/results.json.
The bundle holds the grader package, solutions/<a>/ (references and hidden checks: it is a
grading bundle, never given to students, so the leak scan does not apply to it) and the three
rendered scripts. It holds no course secret: the instructor adds a file `course_secret` to
the bundle before uploading (run_autograder refuses to grade without it). Deterministic like
the student zip.
"""

from __future__ import annotations

from grader.release.archive import deterministic_zip
from grader.release.build import Build
from grader.release.render import render

PACKAGE_SUFFIXES = (".py", ".j2", ".html", ".css")
SECRET_FILE = "course_secret"


def _package_files(build: Build) -> dict[str, bytes]:
    root = build.repo / "grader"
    return {p.relative_to(build.repo).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix in PACKAGE_SUFFIXES and "__pycache__" not in p.parts}


def build_gradescope_bundle(build: Build) -> None:
    a = build.assignment
    files = _package_files(build)
    for path in sorted(a.root.iterdir()):
        if path.is_file() and path.suffix in (".py", ".toml"):
            files[f"solutions/{a.name}/{path.name}"] = path.read_bytes()
    files["setup.sh"] = render("gradescope/setup.sh.j2").encode("utf-8")
    files["run_autograder"] = render("gradescope/run_autograder.j2").encode("utf-8")
    files["run_gradescope.py"] = render("gradescope/run_gradescope.py.j2", assignment=a.name,
                                        secret_file=SECRET_FILE).encode("utf-8")
    build.dist[f"{a.name}-gradescope.zip"] = deterministic_zip(
        files, executable=frozenset({"setup.sh", "run_autograder"}))
