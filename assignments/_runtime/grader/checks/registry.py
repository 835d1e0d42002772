"""Collecting the checks declared in an assignment's check modules.

`collect(assignment)` loads each check module of the assignment (solutions/<a>/checks.py and
any `*_checks.py` beside it, or those the toml lists) and returns the `CheckSpec`s of its
decorated functions, in source order, with the standard checks derived from the layer cases of
each task's function (`grader.checks.derived`) merged in. The check modules load as submodules of the folder's
package (`grader.course`), so they import the folder's other modules relatively
(`from .scenarios import ...`), and the folder's layer cases (`cases.py`) are registered first
(`grader.layercases.load_cases`), so `grader.checks.catalogue` finds them by assignment name. Declarations that contradict the assignment (a task it
does not have, two checks with one id) raise: they are our mistakes, not a student's.

Student-safe: standard library only at import (the student release collects its public checks
with it); collecting also imports grader.layercases (numpy).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from grader.checks.spec import SPEC_ATTRIBUTE, CheckSpec
from grader.course import course_module


def import_file(module_name: str, path: str | Path, *,
                package_dir: str | Path | None = None) -> ModuleType:
    """Import the file `path` as `module_name` (a package whose submodules live in `package_dir`
    when given), registered in sys.modules while it runs, and removed again if it raises."""
    locations = [str(package_dir)] if package_dir is not None else None
    spec = importlib.util.spec_from_file_location(module_name, path,
                                                  submodule_search_locations=locations)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def load_check_module(path: str | Path) -> ModuleType:
    """Import a check module from its file, as a submodule of its folder's package
    (`grader.course`; cached in sys.modules)."""
    path = Path(path).resolve()
    module = course_module(path.parent, path.stem)
    if module is None:
        raise ImportError(f"no check module {path}")
    return module


def specs_of(module: ModuleType) -> list[CheckSpec]:
    """The checks a module declares, in source order (decorated functions defined in it)."""
    found = []
    for _, value in vars(module).items():
        spec = getattr(value, SPEC_ATTRIBUTE, None)
        if isinstance(spec, CheckSpec) and getattr(value, "__module__", None) == module.__name__:
            found.append((value.__code__.co_firstlineno, spec))
    return [spec for _, spec in sorted(found, key=lambda pair: pair[0])]


def collect_paths(paths, *, assignment_name: str, task_ids=None, tasks=None,
                  fixed_points=None) -> list[CheckSpec]:
    """CheckSpecs from check module files; validated against the task ids when given. With
    `tasks` (assignment.toml's, in order) the checks derived from the layer cases join them
    (`grader.checks.derived`; `fixed_points`: the student release's points of those)."""
    modules: list[list[CheckSpec]] = []
    paths = [Path(path) for path in paths]
    cases = ()
    if paths:
        from grader.layercases import load_cases  # numpy: imported only when collecting

        cases = load_cases(paths[0].parent, assignment_name)
    for path in paths:
        modules.append(specs_of(load_check_module(path)))
    if tasks is not None:
        from grader.checks.derived import derive  # numpy, like the layer cases

        specs = derive(assignment_name, tasks, modules, cases, fixed_points=fixed_points)
    else:
        specs = [spec for found in modules for spec in found]
    seen: dict[str, CheckSpec] = {}
    for spec in specs:
        if spec.id in seen:
            raise ValueError(f"two checks share the id {spec.id!r}")
        seen[spec.id] = spec
        if not spec.task.startswith(f"{assignment_name}/"):
            raise ValueError(f"check {spec.id!r} scores task {spec.task!r} of another assignment")
        if task_ids is not None and spec.task not in task_ids:
            raise ValueError(f"check {spec.id!r} scores unknown task {spec.task!r}")
    return specs


def collect(assignment) -> list[CheckSpec]:
    """Every check of an `Assignment` (grader.assignment): declared and derived, in the order
    `grader.checks.derived` describes."""
    return collect_paths(assignment.check_paths(), assignment_name=assignment.name,
                         task_ids={task.id for task in assignment.tasks},
                         tasks=assignment.tasks)


def points_by_task(specs) -> dict[str, float]:
    """{task: sum of its checks' points}: must equal the task's points in assignment.toml."""
    out: dict[str, float] = {}
    for spec in specs:
        out[spec.task] = out.get(spec.task, 0.0) + spec.points
    return out
