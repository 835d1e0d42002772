"""What an assignment folder of the release holds, read without the grader's loader.

    assignment.toml        [assignment] name, modules, due, ...; [[tasks]] id, title, points,
                           functions ("module.function")
    assignment.json        the same data as JSON, read where the standard library has no
                           `tomllib` (Python 3.10)
    <module>.py            the student's modules (assignment.modules)
                           [public_check_points]: {check id: points} of the visible checks
                           derived from the layer cases (grader.checks.derived)
    checks.py, *_checks.py the public checks (or the stems listed in [assignment] checks)
    public_expected.npz    the reference's values the public checks replay

Student-safe: standard library only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib  # novermin: Python 3.10 takes the except branch
except ModuleNotFoundError:
    tomllib = None

METADATA = "assignment.toml"
METADATA_JSON = "assignment.json"
PUBLIC_EXPECTED = "public_expected.npz"


class LayoutError(Exception):
    """The folder is not an assignment folder of the release; the message says what is missing."""


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    points: float
    functions: tuple[str, ...]   # "module.function"


@dataclass(frozen=True)
class Layout:
    root: Path
    name: str
    title: str
    modules: tuple[str, ...]
    tasks: tuple[Task, ...]
    check_files: tuple[Path, ...]
    public_points: dict = field(default_factory=dict, compare=False)

    @property
    def expected_file(self) -> Path:
        return self.root / PUBLIC_EXPECTED

    def module_file(self, stem: str) -> Path:
        return self.root / f"{stem}.py"


def find_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: cwd) holding assignment.toml."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / METADATA).is_file():
            return folder
    below = sorted(p.parent.name for p in here.glob(f"*/{METADATA}"))
    if not below:  # e.g. the course checkout: its release folders sit in assignments/<a>/
        below = sorted(p.parent.relative_to(here).as_posix()
                       for p in here.glob(f"*/*/{PUBLIC_EXPECTED}")
                       if (p.parent / METADATA).is_file())
    if below:
        raise LayoutError(f"{here} is not an assignment folder; run this inside one: "
                          + " or ".join(f"cd {name}" for name in below))
    raise LayoutError(f"no {METADATA} in {here} or above: run this from your assignment folder "
                      "(the one holding assignment.toml and your modules)")


def read_metadata(root: Path) -> dict:
    """assignment.toml of `root` as a dict; from assignment.json where tomllib is absent."""
    if tomllib is not None:
        with (root / METADATA).open("rb") as handle:
            return tomllib.load(handle)
    if not (root / METADATA_JSON).is_file():
        raise LayoutError(f"{root / METADATA_JSON} is missing: this Python has no TOML reader "
                          "(3.11+ has one); get the assignment folder again")
    return json.loads((root / METADATA_JSON).read_text(encoding="utf-8"))


def read_layout(start: str | Path | None = None) -> Layout:
    root = find_root(start)
    data = read_metadata(root)
    meta = data.get("assignment", {})
    try:
        name, modules = meta["name"], tuple(meta["modules"])
    except KeyError as exc:
        raise LayoutError(f"{root / METADATA} has no [assignment] {exc.args[0]}") from None
    tasks = tuple(Task(t["id"], t.get("title", t["id"]), float(t["points"]),
                       tuple(t.get("functions", ()))) for t in data.get("tasks", ()))
    if "checks" in meta:
        check_files = tuple(root / f"{stem}.py" for stem in meta["checks"])
    else:
        check_files = tuple(sorted({*root.glob("checks.py"), *root.glob("*_checks.py")}))
    # sorted: the TOML table keeps the release's order, the JSON twin sorts its keys
    points = {str(k): float(v) for k, v in sorted(data.get("public_check_points", {}).items())}
    return Layout(root=root, name=name, title=meta.get("title", name), modules=modules,
                  tasks=tasks, check_files=check_files, public_points=points)
