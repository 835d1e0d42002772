"""An assignment folder's own Python: its check modules and what they import beside them.

Everything that belongs to one assignment lives in its folder (`solutions/<a>/`; in the
student release, `assignments/<a>/`), never in the framework. The framework finds it there by
convention:

    cases.py        `CASES`: the assignment's layer cases (`grader.layercases.LayerCase`)
    plots.py        `PLOTS`: the feedback-page experiments (`grader.checks.curves.PlotScenario`);
                    grader side only, it does not ship
    checks.py, *_checks.py
                    the check declarations (`grader.checks.registry`)
    any other module
                    what the check modules import relatively: at module level
                    (`from .scenarios import ...`: shipped with the public checks), or inside a
                    hidden check's body (`from .behaviours import sigmoid`: never shipped)

The folder is imported as the package `course_package_name(folder)`, one per folder (so a
student release and the solutions it came from never share module objects); check modules,
`cases` and `plots` are its submodules. Student-safe: standard library only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import types
from pathlib import Path
from types import ModuleType

CASES_MODULE = "cases"
PLOTS_MODULE = "plots"


def course_package_name(folder: str | Path) -> str:
    """"_course_<folder name>_<8 hex digits of its resolved path>": stable for one folder."""
    folder = Path(folder).resolve()
    digest = hashlib.sha256(str(folder).encode("utf-8")).hexdigest()[:8]
    safe = "".join(ch if ch.isalnum() else "_" for ch in folder.name)
    return f"_course_{safe}_{digest}"


def course_package(folder: str | Path) -> ModuleType:
    """The package whose submodules are the folder's modules (created once, cached)."""
    folder = Path(folder).resolve()
    name = course_package_name(folder)
    package = sys.modules.get(name)
    if package is None:
        package = types.ModuleType(name, f"the assignment folder {folder}")
        package.__path__ = [str(folder)]
        package.__package__ = name
        package.__file__ = str(folder / "__init__.py")
        sys.modules[name] = package
    return package


def course_module(folder: str | Path, stem: str) -> ModuleType | None:
    """Import `<folder>/<stem>.py` as a submodule of the folder's package (cached in
    sys.modules); None when the folder has no such file. An error inside the module is ours (the
    course author's) and propagates with its file and line."""
    folder = Path(folder).resolve()
    path = folder / f"{stem}.py"
    if not path.is_file():
        return None
    qualified = f"{course_package(folder).__name__}.{stem}"
    cached = sys.modules.get(qualified)
    if cached is not None and Path(getattr(cached, "__file__", "")) == path:
        return cached
    spec = importlib.util.spec_from_file_location(qualified, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(qualified, None)
        raise
    return module


def course_import(folder: str | Path, dotted: str) -> ModuleType:
    """Import `dotted` ("behaviours.sigmoid", a module or package of the folder) as a submodule
    of the folder's package: what a check's `from .behaviours import sigmoid` does."""
    import importlib

    return importlib.import_module(f"{course_package(folder).__name__}.{dotted}")
