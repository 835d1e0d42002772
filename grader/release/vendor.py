"""Step: copy the student-safe framework modules into the student folder, so that from the
assignment folder `python -m grader check` (or `python check.py`) works with numpy alone.

The student folder (the zip) holds a trimmed `grader/` package beside the student's modules
(committed once for every assignment, in assignments/_runtime/: `grader.release.runtime`): the framework's
`grader/__init__.py`, `__main__.py`, `cli.py` (which skips commands whose modules are absent),
`grader.checks.STUDENT_SAFE_MODULES`, the framework modules the released (public) check
modules import, the student commands (`grader/student/`, when they exist)
and the closure of their `grader.*` imports. Every vendored module may import only the standard
library, numpy and other vendored modules; `NEVER_VENDOR` (secrets, grading, references) must
never be reached (imports inside functions run only when called and are not followed). Either rule broken is a `ReleaseError` naming the module and line.

The assignment's own support modules ship beside the student's (`course_closure`): its
`cases.py` and every module of its folder that a released check module (or a module so shipped)
imports relatively at module level (`from .scenarios import ...`). A module imported only inside
a hidden check's body (`from .behaviours import ...`) is not reached and does not ship.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from grader.checks import STUDENT_SAFE_MODULES
from grader.course import CASES_MODULE
from grader.release.build import Build, ReleaseError

# Entry points no import names: the command line, the child the runner starts by module name
# (`python -m grader.runner.child`), and the gradient toolkit the notebook uses.
ENTRY_MODULES = ("grader/__init__.py", "grader/__main__.py", "grader/cli.py",
                 "grader/runner/child.py", "grader/gradcheck.py")
NEVER_VENDOR = (
    "grader/checks/grade.py", "grader/checks/secret.py", "grader/checks/hidden.py",
    "grader/checks/expected.py", "grader/assignment.py", "grader/release", "grader/batch",
    "grader/reports", "grader/runner/sandbox.py",
)
ALLOWED_TOP_LEVEL = set(sys.stdlib_module_names) | {"numpy", "grader", "__future__"}


def _module_file(repo: Path, dotted: str) -> str | None:
    """Repo-relative path of module `dotted` ("grader.checks.spec"), or None if it is absent."""
    base = Path(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if (repo / candidate).is_file():
            return candidate.as_posix()
    return None


def _imports(repo: Path, rel: str, source: str | None = None) -> list[tuple[int, str]]:
    """(line, dotted name) of every module-level import in a module, `from x import y` giving
    x.y too (so a submodule imported by name is found)."""
    if source is None:
        source = (repo / rel).read_text(encoding="utf-8")
    tree = ast.parse(source, filename=rel)
    package = ".".join(Path(rel).with_suffix("").parts[:-1] if not rel.endswith("__init__.py")
                       else Path(rel).parent.parts)
    found = []
    # Module-level imports only (inside `if`/`try` too): an import inside a function (the
    # runner's lazy `sandbox` import) runs only if called and is not followed.
    nodes, stack = [], list(tree.body)
    while stack:
        node = stack.pop()
        nodes.append(node)
        if isinstance(node, (ast.If, ast.Try)):
            stack.extend(ast.iter_child_nodes(node))
        elif isinstance(node, ast.ExceptHandler):
            stack.extend(node.body)
    for node in nodes:
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                stem = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{stem}.{node.module}" if node.module else stem
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names
                         if module.startswith("grader"))
    return found


def imported_modules(repo: Path, rel: str, source: str) -> list[str]:
    """Repo-relative files of the grader modules a (released) module imports at module level."""
    found = []
    for line, dotted in _imports(repo, rel, source):
        if dotted.split(".")[0] == "grader":
            target = _module_file(repo, dotted)
            if target is not None:
                found.append(target)
    return found


def student_safe_closure(repo: Path, extra_seeds=()) -> list[str]:
    """Repo-relative paths of every module the release vendors, sorted. `extra_seeds`: the
    framework modules the released check modules import."""
    seeds = [*ENTRY_MODULES, *STUDENT_SAFE_MODULES, *extra_seeds]
    student = repo / "grader" / "student"
    if student.is_dir():
        seeds.extend(p.relative_to(repo).as_posix() for p in sorted(student.rglob("*.py")))
    todo = [s for s in seeds if (repo / s).is_file()]
    missing = [s for s in seeds if not (repo / s).is_file()
                                   and not (repo / s.removesuffix(".py") / "__init__.py").is_file()]
    if missing:
        raise ReleaseError(f"grader.checks.STUDENT_SAFE_MODULES names missing files: {missing}")
    todo += [s.removesuffix(".py") + "/__init__.py" for s in seeds if not (repo / s).is_file()]
    done: set[str] = set()
    while todo:
        rel = todo.pop()
        if rel in done:
            continue
        if any(rel == bad or rel.startswith(bad + "/") for bad in NEVER_VENDOR):
            raise ReleaseError(f"{rel} must never ship to students, but a vendored module imports it")
        done.add(rel)
        parent = Path(rel).parent
        while parent.name:  # the packages holding it
            init = (parent / "__init__.py").as_posix()
            if (repo / init).is_file():
                todo.append(init)
            parent = parent.parent
        for line, dotted in _imports(repo, rel):
            top = dotted.split(".")[0]
            if top not in ALLOWED_TOP_LEVEL:
                raise ReleaseError(f"{rel}:{line}: imports {dotted}; a vendored module may import "
                                   "only the standard library, numpy and grader")
            if top == "grader":
                target = _module_file(repo, dotted)
                if target is not None:
                    todo.append(target)
    return sorted(done)


def _relative_imports(source: str, filename: str) -> list[tuple[int, str]]:
    """(line, stem) of each module-level `from .stem import ...` / `from . import stem`."""
    found = []
    for node in ast.parse(source, filename=filename).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.append((node.lineno, node.module.split(".")[0]))
            else:
                found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def course_closure(root: Path, sources: dict[str, str]) -> list[str]:
    """File names ("cases.py", "scenarios.py") of the assignment folder's support modules the
    release ships: `cases.py` when it exists, and the closure of module-level relative imports
    from `sources` ({file name: released source} of the check modules). A relative import of a
    module the folder does not have is a ReleaseError naming file and line."""
    todo = [(name, text) for name, text in sources.items()]
    shipped: list[str] = []
    if (root / f"{CASES_MODULE}.py").is_file():
        shipped.append(f"{CASES_MODULE}.py")
        todo.append((f"{CASES_MODULE}.py", (root / f"{CASES_MODULE}.py").read_text(encoding="utf-8")))
    while todo:
        name, text = todo.pop()
        for line, stem in _relative_imports(text, name):
            target = f"{stem}.py"
            if target in shipped or target in sources:
                continue
            if not (root / target).is_file():
                raise ReleaseError(f"{root.name}/{name}:{line}: imports .{stem}, which is not a "
                                   f"module of {root} (a package folder cannot ship)")
            shipped.append(target)
            todo.append((target, (root / target).read_text(encoding="utf-8")))
    return sorted(shipped)


def vendor_framework(build: Build) -> None:
    """Add the assignment's support modules (`course_closure`) to `build.files`, then the
    vendored framework modules (under grader/) that they and the check modules import."""
    a = build.assignment
    checks = {p.name: build.files[p.name].decode("utf-8") for p in a.check_paths()}
    students = {f"{stem}.py" for stem in a.modules}
    extra = []
    for name in course_closure(a.root, checks):
        if name in students:
            raise ReleaseError(f"{a.name}: a check module imports the student module {name} "
                               "relatively; call it through ctx.student instead")
        build.files[name] = (a.root / name).read_bytes()
        build.course_modules.append(name)
        extra += imported_modules(build.repo, build.rel(a.root / name), build.files[name].decode("utf-8"))
    for path in a.check_paths():
        extra += imported_modules(build.repo, build.rel(path), checks[path.name])
    modules = student_safe_closure(build.repo, extra)
    for rel in modules:
        build.files[rel] = (build.repo / rel).read_bytes()
    build.notes.append(f"vendored {len(modules)} framework module(s)"
                       + (f" and {', '.join(build.course_modules)}" if build.course_modules else ""))
