"""Step: the student's `check` entry point.

When the framework has the student commands (grader/student/cli.py, vendored by the previous
step), `python -m grader check` is the entry, and a Makefile wraps it and `submit` as
`make check` / `make submit STUDENT=<id>`. Until then a thin `check.py`
is rendered at the release root: it runs the public checks on the student's modules (in a
child process, through the vendored runner) and prints pass/fail per task.
"""

from __future__ import annotations

from grader.release.build import Build
from grader.release.render import render

STUDENT_CLI = "grader/student/cli.py"


def add_check_entry(build: Build) -> None:
    if STUDENT_CLI in build.files:
        build.files["Makefile"] = render("Makefile.j2").encode("utf-8")
        build.notes.append("check entry: make check / python -m grader check (vendored grader/student)")
        return
    a = build.assignment
    text = render("check.py.j2", assignment=a.name,
                  check_modules=[p.name for p in a.check_paths()],
                  tasks=[{"id": t.id, "points": t.points} for t in a.tasks])
    build.files["check.py"] = text.encode("utf-8")
    build.notes.append("check entry: check.py (thin shell until grader/student exists)")
