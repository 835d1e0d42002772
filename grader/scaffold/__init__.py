"""`python -m grader new NAME`: a new assignment folder, solutions/NAME/, that releases and
grades at once.

The scaffold is a small, complete example: one elementwise layer (softplus, forward and backward)
in `layers.py` with its solution regions marked, its layer cases (a standard and a hard
configuration), visible and hidden checks, a behavioural check with its calibration, and the
notebook template (`notebook.ipynb.j2`, which the release renders in place of a framework one).
Its reference scores full marks and its stubs zero, so `python -m grader release NAME` passes
every gate as written; docs/AUTHORING.md goes on from there.

The templates are in templates/: `<file>.j2` renders to `<file>` with the assignment's name and
title (jinja2, StrictUndefined); `notebook.ipynb.j2` is copied as it is (the release renders it).
"""

from __future__ import annotations

import datetime as _dt
import keyword
import re
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: copied verbatim: rendered by the release, with the release's values
VERBATIM = ("notebook.ipynb.j2",)
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")


class ScaffoldError(ValueError):
    """A name or a place `new` refuses; the message is one line."""


def check_name(name: str) -> str:
    """`name` when it can name an assignment (a lowercase Python identifier: it becomes the
    task ids' prefix and the folder's package name), else ScaffoldError saying why."""
    if not NAME_PATTERN.match(name) or keyword.iskeyword(name):
        raise ScaffoldError(f"{name!r} cannot name an assignment: use lowercase letters, digits "
                            "and underscores, starting with a letter (e.g. activations)")
    return name


def files_for(name: str, *, title: str | None = None, due: str | None = None) -> dict[str, str]:
    """{file name: text} of a new assignment `name` (nothing written). `due` (ISO 8601) defaults
    to eight weeks from today, 23:59 UTC."""
    check_name(name)
    if due is None:
        day = _dt.datetime.now(_dt.timezone.utc).date() + _dt.timedelta(weeks=8)
        due = f"{day.isoformat()}T23:59:00+00:00"
    values = {"name": name, "title": title or f"{name}: layers and their gradients", "due": due}
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                     undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                                     autoescape=False)
    files = {}
    for template in sorted(TEMPLATES.glob("*.j2")):
        if template.name in VERBATIM:
            files[template.name] = template.read_text(encoding="utf-8")
        else:
            files[template.name.removesuffix(".j2")] = environment.get_template(
                template.name).render(**values)
    return files


def new_assignment(name: str, *, repo: Path, title: str | None = None,
                   due: str | None = None) -> Path:
    """Write `repo`/solutions/`name`/ (see the module docstring) and return it. ScaffoldError for
    a bad name, an existing folder or a repo without solutions/."""
    check_name(name)
    solutions = Path(repo) / "solutions"
    if not solutions.is_dir():
        raise ScaffoldError(f"no solutions/ folder in {repo}: run this in a course checkout")
    folder = solutions / name
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists: choose another name or remove it first")
    files = files_for(name, title=title, due=due)
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder
