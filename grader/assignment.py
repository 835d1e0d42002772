"""Assignment metadata (solutions/<name>/assignment.toml) and loading of reference modules.

    [assignment]  name, title, modules (module stems), due (ISO 8601, optional),
                  late_penalty_per_day, late_penalty_cap, checks (optional: check module stems;
                  default: `checks.py`, then every `*_checks.py` in the folder, sorted)
    [[tasks]]     id ("<assignment>/<name>"), title, points, functions (["module.function", ...]),
                  hard_check (optional, default true), check_points (optional: {role = points})
                  -- the last two shape the checks derived from the layer cases
                  (grader.checks.derived)

Reference modules are ours: they load in the grader process as the package
`_reference_<name>` so CS231n's relative imports (`from .layers import *`) work. Student code is
never loaded here.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType

from grader.checks.registry import import_file
from grader.course import course_module

try:
    import tomllib  # novermin: Python 3.10 takes the except branch
except ModuleNotFoundError:  # Python 3.10: the same parser, installed as tomli (pyproject.toml)
    import tomli as tomllib

SOLUTIONS_ENV = "GRADER_SOLUTIONS"


@dataclass(frozen=True)
class Task:
    """One gradable unit: id "<assignment>/<name>", points, the functions ("module.function").

    hard_check: whether its derived gradient checks include a hard-configuration one.
    check_points: ((role, points), ...) fixed for some of its derived checks
    (grader.checks.derived).
    """

    id: str
    title: str
    points: float
    functions: tuple[str, ...]
    hard_check: bool = True
    check_points: tuple[tuple[str, float], ...] = ()

    @property
    def modules(self) -> tuple[str, ...]:
        """The module stems the task's functions live in, in order, without repeats."""
        return tuple(dict.fromkeys(f.split(".", 1)[0] for f in self.functions))


@dataclass(frozen=True)
class Assignment:
    """An assignment's metadata; `root` is the solutions/<name> folder."""

    name: str
    title: str
    root: Path
    modules: tuple[str, ...]
    tasks: tuple[Task, ...]
    due: datetime | None
    late_penalty_per_day: float
    late_penalty_cap: float
    checks: tuple[str, ...]

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(f"assignment {self.name!r} has no task {task_id!r}")

    @property
    def points(self) -> float:
        return sum(task.points for task in self.tasks)

    @property
    def package(self) -> str:
        """The import name of the reference package in the grader process."""
        return f"_reference_{self.name}"

    def reference_module(self, stem: str) -> ModuleType:
        """Import solutions/<name>/<stem>.py as `_reference_<name>.<stem>` (cached in sys.modules)."""
        if stem not in self.modules:
            raise KeyError(f"assignment {self.name!r} has no module {stem!r} (has {self.modules})")
        _ensure_package(self.package, self.root)
        qualified = f"{self.package}.{stem}"
        if qualified in sys.modules:
            return sys.modules[qualified]
        return import_file(qualified, self.root / f"{stem}.py")

    def reference_modules(self) -> dict[str, ModuleType]:
        """{stem: module} for every module of the assignment."""
        return {stem: self.reference_module(stem) for stem in self.modules}

    def check_paths(self) -> tuple[Path, ...]:
        return tuple(self.root / f"{stem}.py" for stem in self.checks)

    def layer_cases(self) -> tuple:
        """The assignment's layer cases (`CASES` of <root>/cases.py), registered under its name
        (`grader.layercases.load_cases`); empty without a cases.py."""
        from grader.layercases import load_cases

        return load_cases(self.root, self.name)

    def course_module(self, stem: str) -> ModuleType | None:
        """<root>/<stem>.py imported as a submodule of the folder's package (`grader.course`), or
        None when the folder has no such module."""
        return course_module(self.root, stem)


def _ensure_package(package: str, root: Path) -> None:
    existing = sys.modules.get(package)
    if existing is not None:
        if Path(getattr(existing, "__path__", [""])[0]) != root:
            raise ImportError(f"{package} is already loaded from another folder")
        return
    import_file(package, root / "__init__.py", package_dir=root)


def find_solutions_root(start: str | Path | None = None) -> Path:
    """The solutions/ folder: $GRADER_SOLUTIONS, else the first ancestor of `start` (default:
    this file, then the working directory) that holds solutions/ next to grader/."""
    env = os.environ.get(SOLUTIONS_ENV)
    if env:
        path = Path(env).expanduser().resolve()
        if not path.is_dir():
            raise FileNotFoundError(f"{SOLUTIONS_ENV}={env} is not a folder")
        return path
    starts = [Path(start)] if start is not None else [Path(__file__), Path.cwd()]
    for origin in starts:
        for folder in [origin.resolve(), *origin.resolve().parents]:
            if (folder / "solutions").is_dir() and (folder / "grader").is_dir():
                return folder / "solutions"
    raise FileNotFoundError("no solutions/ folder found; set GRADER_SOLUTIONS")


def _parse_due(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def load_assignment(name_or_path: str | Path) -> Assignment:
    """Read an assignment by name (solutions/<name>) or by the path of its folder or toml."""
    path = Path(name_or_path)
    if path.suffix == ".toml":
        toml_path = path
    elif path.is_dir() and (path / "assignment.toml").is_file():
        toml_path = path / "assignment.toml"
    else:
        toml_path = find_solutions_root() / str(name_or_path) / "assignment.toml"
    if not toml_path.is_file():
        raise FileNotFoundError(f"no assignment.toml for {name_or_path!r} (looked at {toml_path})")
    root = toml_path.parent.resolve()
    with open(toml_path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{toml_path}: not valid TOML: {error}") from None
    try:
        return _assignment(data, root, toml_path)
    except KeyError as missing:
        raise ValueError(f"{toml_path}: a required key is missing: {missing.args[0]!r} (see "
                         "grader/assignment.py for the fields)") from None


def _check_points(raw, task_id: str, toml_path: Path) -> tuple[tuple[str, float], ...]:
    """A task's check_points table as ((role, points), ...); each points a positive number."""
    if not isinstance(raw, dict):
        raise ValueError(f"{toml_path}: task {task_id!r}: check_points must be a table "
                         "{role = points}")
    for role, points in raw.items():
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
            raise ValueError(f"{toml_path}: task {task_id!r}: check_points.{role} must be a "
                             f"positive number, got {points!r}")
    return tuple((role, float(points)) for role, points in raw.items())


def _assignment(data: dict, root: Path, toml_path: Path) -> Assignment:
    meta = data["assignment"]
    name = meta["name"]
    modules = tuple(meta["modules"])
    tasks = []
    for raw in data.get("tasks", []):
        task = Task(id=raw["id"], title=raw.get("title", raw["id"]), points=float(raw["points"]),
                    functions=tuple(raw["functions"]), hard_check=raw.get("hard_check", True),
                    check_points=_check_points(raw.get("check_points", {}), raw["id"], toml_path))
        if not isinstance(task.hard_check, bool):
            raise ValueError(f"{toml_path}: task {task.id!r}: hard_check must be true or false")
        if not task.id.startswith(f"{name}/"):
            raise ValueError(f"{toml_path}: task {task.id!r} does not start with '{name}/'")
        for function in task.functions:
            if function.split(".", 1)[0] not in modules or "." not in function:
                raise ValueError(f"{toml_path}: task {task.id!r} names {function!r}, not in modules")
        tasks.append(task)
    if len({t.id for t in tasks}) != len(tasks):
        raise ValueError(f"{toml_path}: duplicate task ids")
    if "checks" in meta:
        checks = tuple(meta["checks"])
    else:
        found = sorted(p.stem for p in root.glob("*.py") if p.stem.endswith("_checks"))
        checks = (("checks",) if (root / "checks.py").is_file() else ()) + tuple(found)
    return Assignment(name=name, title=meta.get("title", name), root=root, modules=modules,
                      tasks=tuple(tasks), due=_parse_due(meta.get("due")),
                      late_penalty_per_day=float(meta.get("late_penalty_per_day", 0.0)),
                      late_penalty_cap=float(meta.get("late_penalty_cap", 0.0)), checks=checks)
