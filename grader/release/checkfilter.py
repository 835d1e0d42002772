"""Step: the public checks, with every non-visible check and hidden-tests region removed.

Each check module (solutions/<a>/checks.py, *_checks.py) is filtered on its source text, so
what remains is byte-for-byte the instructor's code: the AST finds functions decorated with
`@check(..., visibility=...)` whose visibility is not "visible" (the decorator's default applies
when the keyword is absent) and their lines go, with the comment block right above them; lines
of `### BEGIN HIDDEN TESTS` regions go too. Helpers that only hidden checks use belong in a
hidden-tests region. A visibility that is not a string literal is an error: we cannot tell.
The hidden checks derived from the layer cases (`grader.checks.derived`) have no source to
remove; their ids join the removed ones (`derived_hidden_ids`), for the gates.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass

from grader import markers
from grader.checks.spec import check as _check_decorator
from grader.release.build import Build, ReleaseError

DEFAULT_VISIBILITY = inspect.signature(_check_decorator).parameters["visibility"].default


@dataclass(frozen=True)
class FilteredModule:
    """public: the released source. hidden_names: removed check function names.
    hidden_lines: (line number, text) of every removed line."""

    public: str
    hidden_names: tuple[str, ...]
    hidden_lines: tuple[tuple[int, str], ...]


def _check_call(decorator: ast.expr) -> ast.Call | None:
    if not isinstance(decorator, ast.Call):
        return None
    func = decorator.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return decorator if name == "check" else None


def _visibility(call: ast.Call, filename: str) -> str:
    for keyword in call.keywords:
        if keyword.arg == "visibility":
            if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                return keyword.value.value
            raise ReleaseError(f"{filename}:{call.lineno}: visibility must be a string literal so "
                               "the release can filter hidden checks")
    return DEFAULT_VISIBILITY


def filter_checks_source(source: str, *, filename: str) -> FilteredModule:
    """Remove non-visible checks and hidden-tests regions from one check module's source."""
    lines = source.splitlines(keepends=True)
    regions = markers.find_regions(source, filename=filename)
    for region in regions:
        if region.kind == markers.SOLUTION:
            raise ReleaseError(f"{filename}:{region.begin}: a check module holds a solution region")
    drop: set[int] = set()
    for region in regions:
        drop.update(range(region.begin, region.end + 1))
    names = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        calls = [c for c in map(_check_call, node.decorator_list) if c is not None]
        if not calls or all(_visibility(c, filename) == "visible" for c in calls):
            continue
        first = min(d.lineno for d in node.decorator_list)
        while first > 1 and lines[first - 2].strip().startswith("#"):
            first -= 1  # the comment block describing the hidden check goes with it
        drop.update(range(first, node.end_lineno + 1))
        names.append(node.name)
    public = "".join(line for i, line in enumerate(lines, start=1) if i not in drop)
    public = _squeeze_blank_runs(public)
    try:
        ast.parse(public, filename=filename)
    except SyntaxError as exc:
        raise ReleaseError(f"{filename}: removing hidden checks leaves invalid Python "
                           f"(line {exc.lineno} of the result: {exc.msg})") from None
    hidden = tuple((i, lines[i - 1].rstrip("\r\n")) for i in sorted(drop))
    return FilteredModule(public, tuple(names), hidden)


def _squeeze_blank_runs(source: str) -> str:
    """At most two blank lines in a row (where a removed check leaves a gap)."""
    out, blanks = [], 0
    for line in source.splitlines(keepends=True):
        blanks = blanks + 1 if not line.strip() else 0
        if blanks <= 2:
            out.append(line)
    return "".join(out)


def derived_hidden_ids(assignment) -> list[str]:
    """Ids of the assignment's non-visible checks derived from its layer cases."""
    from grader.checks.derived import is_derived
    from grader.checks.registry import collect

    return [s.id for s in collect(assignment) if s.visibility != "visible" and is_derived(s)]


def filter_checks(build: Build) -> None:
    """Add each filtered check module to `build.files`; remember the hidden check ids."""
    for path in build.assignment.check_paths():
        result = filter_checks_source(markers.read_source(path), filename=build.rel(path))
        build.files[path.name] = result.public.encode("utf-8")
        build.hidden_checks.extend(f"{build.name}/{name}" for name in result.hidden_names)
    build.hidden_checks.extend(derived_hidden_ids(build.assignment))
    build.notes.append(f"filtered checks: {len(build.hidden_checks)} hidden check(s) removed")
