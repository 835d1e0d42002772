"""Jinja2 rendering for the release: templates are package data in grader/release/templates/.

`StrictUndefined` makes a misspelt variable an error, never an empty string. Templates only
lay out what the steps computed; nothing in them decides anything.
"""

from __future__ import annotations

import jinja2

from grader.release.build import Build

ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("grader.release", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,
)


def render(template: str, **values) -> str:
    """Render templates/<template> with `values`."""
    return ENVIRONMENT.get_template(template).render(**values)


def render_from(folder, template: str, **values) -> str:
    """Render `folder`/<template> (an assignment folder's own template) with `values`; its
    includes resolve in `folder` first, then in templates/. Same settings as ENVIRONMENT."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)), ENVIRONMENT.loader])
    return ENVIRONMENT.overlay(loader=loader).get_template(template).render(**values)


def _points(value: float) -> str:
    return f"{value:g}"


def task_rows(build: Build) -> list[dict]:
    """One row per task: id, title, points (as text), functions."""
    return [{"id": t.id, "title": t.title, "points": _points(t.points),
             "functions": list(t.functions)} for t in build.assignment.tasks]


def render_readme(build: Build) -> None:
    """Step: README.md, the handout: what to implement, tasks and points, how to check."""
    a = build.assignment
    text = render("README.md.j2", name=a.name, title=a.title, tasks=task_rows(build),
                  total=_points(a.points), modules=list(a.modules),
                  due=a.due.isoformat() if a.due else None,
                  late_penalty_per_day=_points(a.late_penalty_per_day * 100),
                  late_penalty_cap=_points(a.late_penalty_cap * 100),
                  check_command=build_check_command(build),
                  has_makefile="Makefile" in build.files,
                  notebook=f"{a.name}.ipynb",
                  check_files=[p.name for p in a.check_paths()],
                  work_modules=work_modules(build),
                  other_modules=[m for m in a.modules if m not in work_modules(build)])
    build.files["README.md"] = text.encode("utf-8")
    # the notebook needs more than numpy: say so in a file pip reads
    build.files["requirements.txt"] = render(
        "requirements.txt.j2", notebook=f"{a.name}.ipynb",
        check_command=build_check_command(build)).encode("utf-8")


def work_modules(build: Build) -> list[str]:
    """The modules holding something for the student to write (a solution region)."""
    from grader.markers import SOLUTION, find_regions
    out = []
    for stem in build.assignment.modules:
        path = build.assignment.root / f"{stem}.py"
        source = path.read_text(encoding="utf-8")
        if any(r.kind == SOLUTION for r in find_regions(source, filename=str(path))):
            out.append(stem)
    return out


def build_check_command(build: Build) -> str:
    """How the student runs the public checks from the assignment folder."""
    return "python check.py" if "check.py" in build.files else "python -m grader check"
