"""What the grader says about a submission's files, once per file, before any check runs.

- `probe_imports(runner, stems)`: import each present module alone in the child; a module that
  does not import (syntax error, Python 2 code, an import that raises or hangs) gets ONE message,
  "layers.py line 12: SyntaxError: ...", and its tasks are not run (`not_run_message`), so the
  same error is not repeated under every task nor blamed on the first function called.
- `misnamed(folder, stem)`: the files that look like a misnamed `stem.py` ("layers (1).py").
- `numpy1_names(source)`: the numpy-1 names a module uses (np.int, np.product, ...), which the
  child grades as meant (grader.runner.compat) and the feedback asks the student to modernise.
- `unavailable_imports(source, folder)`: modules a file imports at its top level that are not
  installed (scipy): the child lets the file import and fails only the functions that use them
  (grader.runner.compat); the feedback names them once.
- `CourseRunner`: a runner that sends the course's child settings (assignment.toml
  `numpy1_aliases = false`) before every round trip.
- `file_gate(spec, modules, ...)`: the result of a check whose task's module is missing or
  did not import, without a call; `file_notes(...)`: what is said once about the files.
  Grading and the student's `check` both use these two, so they say the same about a file.

Student-safe (standard library, numpy through grader.checks.run, grader.runner.protocol), so
the student's `check` can say the same about a file: reads the submission's files as text,
never imports them in this process.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

from grader.checks.run import result_of
from grader.runner.protocol import Call, StudentError

#: grader.runner.child.SETTINGS (the child's reserved settings module; not imported here so the
#: grader process never imports the child's code).
SETTINGS = "grader:settings"
#: The numpy-1 names grader.runner.compat puts back, and what to write instead.
MODERN = {
    "int": "int", "float": "float", "object": "object", "complex": "complex", "str": "str",
    "long": "int", "unicode": "str", "product": "np.prod", "cumproduct": "np.cumprod",
    "alltrue": "np.all", "sometrue": "np.any", "round_": "np.round", "float_": "np.float64",
    "complex_": "np.complex128", "NaN": "np.nan", "NAN": "np.nan", "Inf": "np.inf",
    "Infinity": "np.inf", "infty": "np.inf", "PINF": "np.inf", "asscalar": "a.item()",
}
_WHERE = re.compile(r"\s*\((?P<file>[^()]+?\.py), line (?P<line>\d+)\)")


def _read_toml(path: Path) -> dict:
    """The toml at `path`: tomllib (3.11+), else the grader's own parser (grader.assignment:
    tomli, its 3.10 dependency), else the assignment.json the release ships beside it (a
    student's Python 3.10, where grader.assignment is not vendored)."""
    try:
        import tomllib  # novermin: Python 3.10 takes the except branch
    except ImportError:
        try:
            from grader.assignment import tomllib
        except ImportError:
            from grader.student.layout import read_metadata
            return read_metadata(path.parent)
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def numpy1_aliases_enabled(assignment) -> bool:
    """assignment.toml [assignment] numpy1_aliases (default true)."""
    path = Path(assignment.root) / "assignment.toml"
    value = _read_toml(path).get("assignment", {}).get("numpy1_aliases", True)
    if not isinstance(value, bool):
        raise ValueError(f"{path}: numpy1_aliases must be true or false, got {value!r}")
    return value


class CourseRunner:
    """Wraps a runner; prefixes every round trip with the child settings call(s)."""

    def __init__(self, inner, *, numpy1_aliases: bool):
        self.inner = inner
        self._settings = [Call(SETTINGS, "numpy1_aliases", (numpy1_aliases,))]

    def call(self, module, function, *args, keep=(), **kwargs):
        result = self.call_many([Call(module, function, args, kwargs, tuple(keep))])[0]
        if isinstance(result, StudentError):
            raise result
        return result

    def call_many(self, calls):
        return self.inner.call_many(self._settings + list(calls))[len(self._settings):]

    def drop(self, *handles):
        if hasattr(self.inner, "drop"):
            self.inner.drop(*handles)

    def close(self):
        self.inner.close()

    def __getattr__(self, name):
        return getattr(self.inner, name)


def file_message(stem: str, error: StudentError) -> str:
    """"layers.py line 12: SyntaxError: ..." from the child's words about a failed import."""
    if error.kind == "timeout":
        return (f"{stem}.py: importing it did not finish within the time limit (code at the top "
                "level of the file that runs forever?)")
    if error.kind == "crashed":
        return f"{stem}.py: the process importing it died ({error.message[:200]})"
    text = error.message
    for prefix in (f"importing {stem}.py failed: ",):
        if text.startswith(prefix):
            text = text[len(prefix):]
    found = _WHERE.search(text)
    if found:
        text = (text[:found.start()] + text[found.end():]).strip()
        return f"{found['file']} line {found['line']}: {text}"
    return text if text.startswith(f"{stem}.py") else f"{stem}.py: {text}"


def probe_imports(runner, stems) -> dict[str, tuple[str, str]]:
    """Import each module alone (one round trip); {stem: (status, file message)} for those that
    fail, status "timeout" for an import that hangs, else "error"."""
    stems = sorted(stems)
    if not stems:
        return {}
    # a call to the empty name imports the module and then reports "missing": import worked
    values = runner.call_many([Call(stem, "") for stem in stems])
    # a timeout may be a slow start of the child (its first call bears it): once more, alone
    for index, (stem, value) in enumerate(zip(stems, values)):
        if isinstance(value, StudentError) and value.kind == "timeout":
            values[index] = runner.call_many([Call(stem, "")])[0]
    broken = {}
    for stem, value in zip(stems, values):
        if isinstance(value, StudentError) and value.kind in ("import_error", "timeout", "crashed"):
            status = "timeout" if value.kind == "timeout" else "error"
            broken[stem] = (status, file_message(stem, value))
    return broken


def file_gate(spec, modules, *, present=None, broken=None, folder: Path | None = None):
    """The CheckResult of `spec` when its task cannot be run because of its files, else None:
    "missing" when a module of `modules` (the task's module stems) is not in `present` (None:
    all are), naming a misnamed file found in `folder`; the module's status from `broken`
    (`probe_imports`) with the diagnosis "file_error" when one did not import."""
    absent = [m for m in modules if present is not None and m not in present]
    if absent:
        words = (missing_message(folder, absent[0]) if folder is not None
                 else f"the submission has no {absent[0]}.py")
        return result_of(spec, "missing", words)
    failed = [m for m in modules if m in (broken or {})]
    if failed:
        status, _ = broken[failed[0]]
        return result_of(spec, status, not_run_message(failed[0]), diagnosis="file_error")
    return None


def file_notes(folder: Path, present, broken, *, numpy1_aliases: bool) -> list[str]:
    """What is said once about the submission's files: the message of each module that did
    not import (once: a module importing a broken one fails with the same message), then, when
    the numpy-1 aliases are on, which removed numpy names each module that imports uses."""
    notes = list(dict.fromkeys(broken[stem][1] for stem in sorted(broken)))
    for stem in sorted(set(present) - set(broken)):
        source = (Path(folder) / f"{stem}.py").read_text(errors="replace")
        names = numpy1_names(source) if numpy1_aliases else []
        if names:
            notes.append(modernise_message(stem, names))
        missing = unavailable_imports(source, Path(folder))
        if missing:
            notes.append(f"{stem}.py imports {', '.join(missing)}, which this course does not "
                         "install: the file was graded, but the functions that use "
                         f"{'it' if len(missing) == 1 else 'them'} fail")
    return notes


#: Top-level names the child provides without an installed package (grader.runner.compat).
_PROVIDED = {"cs231n", "past", "future", "builtins"}


def unavailable_imports(source: str, folder: Path) -> list[str]:
    """The modules `source` imports in statements of its top level (as grader.runner.compat
    lets such a file import) that are neither installed, nor the submission's own files, nor
    the skeleton's names the child provides; sorted, unique."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    missing = []
    for name in sorted(names - _PROVIDED):
        if (Path(folder) / f"{name}.py").is_file() or not name.isidentifier():
            continue
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def not_run_message(stem: str) -> str:
    return (f"not run: {stem}.py could not be imported, so none of its functions could be "
            "graded (the message about the file says why)")


def misnamed(folder: Path, stem: str) -> list[str]:
    """Files in `folder` that look like `stem.py` under another name ("layers (1).py",
    "Layers.py", "layers.py.txt", "layers-copy.py"), sorted."""
    found = []
    for path in sorted(Path(folder).iterdir()):
        name = path.name
        if name == f"{stem}.py" or not path.is_file():
            continue
        base = re.sub(r"(\.py)?(\.txt|\.ipynb)?$", "", name.lower())
        base = re.sub(r"[\s_-]*(\(\d+\)|copy|\d+)$", "", base).strip()
        if base == stem.lower() and name.lower() != f"{stem}.pyc":
            found.append(name)
    return found


def missing_message(folder: Path, stem: str) -> str:
    names = misnamed(folder, stem)
    if names:
        return (f"the submission has no {stem}.py, but has {', '.join(repr(n) for n in names)}: "
                f"name the file {stem}.py")
    return f"the submission has no {stem}.py"


def numpy1_names(source: str) -> list[str]:
    """The removed numpy-1 names `source` uses as attributes of numpy (np.int, numpy.product,
    under whatever name numpy was imported), plus "reshape(newshape=...)"; sorted, unique."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    numpy_names = {"numpy"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            numpy_names |= {a.asname or a.name for a in node.names if a.name == "numpy"}
    used = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in MODERN
                and isinstance(node.value, ast.Name) and node.value.id in numpy_names):
            used.add(f"np.{node.attr}")
        if isinstance(node, ast.Call) and any(k.arg == "newshape" for k in node.keywords):
            used.add("reshape(newshape=...)")
    return sorted(used)


def modernise_message(stem: str, names: list[str]) -> str:
    advice = ", ".join(f"{n} -> {MODERN[n[3:]]}" if n.startswith("np.") else
                       "reshape(newshape=s) -> reshape(s)" for n in names)
    return (f"{stem}.py uses names numpy 2 removed; they were graded as numpy 1 meant them, "
            f"but modernise them: {advice}")
