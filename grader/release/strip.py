"""Step: the student modules, every solution region replaced by a stub naming its task.

Copies solutions/<a>/__init__.py and each module of the assignment (assignment.toml `modules`)
through `grader.markers.strip`. A stub names the task whose `functions` list the function; a
solution region in a function no task lists is an error (its stub would name no task).
"""

from __future__ import annotations

from grader import markers
from grader.release.build import Build, ReleaseError


def task_lookup(build: Build, stem: str):
    """function name -> task id, for the functions of module `stem`."""
    owners = {}
    for task in build.assignment.tasks:
        for qualified in task.functions:
            module, function = qualified.split(".", 1)
            if module == stem:
                owners[function] = task.id

    def task_for(function: str) -> str:
        name = function.split(".")[-1]
        if name not in owners:
            raise ReleaseError(f"solutions/{build.name}/{stem}.py: {function} has a solution "
                               f"region but no task in assignment.toml lists {stem}.{name}")
        return owners[name]

    return task_for


def strip_modules(build: Build) -> None:
    """Add __init__.py and the stripped modules to `build.files`."""
    root = build.assignment.root
    for stem in ("__init__", *build.assignment.modules):
        path = root / f"{stem}.py"
        if not path.is_file():
            if stem == "__init__":
                continue
            raise ReleaseError(f"{build.rel(path)}: module listed in assignment.toml is missing")
        source = markers.read_source(path)
        stripped = markers.strip(source, task_for=task_lookup(build, stem), filename=build.rel(path))
        build.files[f"{stem}.py"] = stripped.encode("utf-8")
    build.notes.append(f"stripped {len(build.assignment.modules)} module(s)")
