"""Step: dist/<a>-gradescope.zip, a Gradescope autograder bundle (instructor-only).

Gradescope unpacks the bundle into /autograder/source, runs `setup.sh` once when it builds the
image and `run_autograder` per submission, which writes /autograder/results/results.json.
The bundle holds the grader package, solutions/<a>/ (references and hidden checks: it is a
grading bundle, never given to students, so the leak scan does not apply to it), the course
secret (`course_secret`), `requirements.txt` and the three rendered scripts. Student code runs
in the grader's sandbox, unable to read the secret, the solutions or results/ (see
run_autograder.j2). The secret comes from `python -m grader release --gradescope-secret FILE`;
without one no bundle is built (a note says so), so no bundle can ship without a secret or with
a guessable one. Deterministic like the student zip.
"""

from __future__ import annotations

from grader.release.archive import deterministic_zip
from grader.release.build import Build, ReleaseError
from grader.release.render import render

PACKAGE_SUFFIXES = (".py", ".j2", ".html", ".css")
SECRET_FILE = "course_secret"
#: What grading needs on Gradescope's stock images (Python 3.10 and 3.12); nothing else.
REQUIREMENTS = ('numpy>=1.24\n' 'pyseccomp>=0.1.2\n' 'tomli>=2.0; python_version < "3.11"\n')


def _package_files(build: Build) -> dict[str, bytes]:
    root = build.repo / "grader"
    return {p.relative_to(build.repo).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix in PACKAGE_SUFFIXES and "__pycache__" not in p.parts}


def bundle_files(build: Build, secret: bytes) -> dict[str, bytes]:
    """{path in the bundle: bytes} of the Gradescope bundle of `build` with `secret`."""
    from grader.checks.secret import DEV_SECRET
    secret = secret.strip()
    if not secret or secret == DEV_SECRET.encode("utf-8"):
        raise ReleaseError("the Gradescope bundle needs a real course secret (the file given to "
                           "--gradescope-secret is empty or holds the dev default)")
    a = build.assignment
    files = _package_files(build)
    for path in sorted(a.root.iterdir()):
        if path.is_file() and path.suffix in (".py", ".toml"):
            files[f"solutions/{a.name}/{path.name}"] = path.read_bytes()
    files[SECRET_FILE] = secret + b"\n"
    files["requirements.txt"] = REQUIREMENTS.encode("utf-8")
    files["setup.sh"] = render("gradescope/setup.sh.j2").encode("utf-8")
    files["run_autograder"] = render("gradescope/run_autograder.j2").encode("utf-8")
    files["run_gradescope.py"] = render("gradescope/run_gradescope.py.j2", assignment=a.name,
                                        secret_file=SECRET_FILE).encode("utf-8")
    return files


def build_gradescope_bundle(build: Build) -> None:
    secret = getattr(build, "gradescope_secret", None)
    if secret is None:
        build.notes.append("no Gradescope bundle (it needs the course secret: "
                           "--gradescope-secret FILE)")
        return
    build.dist[f"{build.name}-gradescope.zip"] = deterministic_zip(
        bundle_files(build, secret), executable=frozenset({"setup.sh", "run_autograder"}))
    build.notes.append(f"Gradescope bundle: dist/{build.name}-gradescope.zip")
