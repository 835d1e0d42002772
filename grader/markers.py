"""Find and strip nbgrader-style regions in Python modules.

Two kinds of region, each opened and closed by a comment line containing its marker text
(nbgrader's syntax: any comment line containing the words):

- ``BEGIN SOLUTION`` / ``END SOLUTION``: the student's part. Stripping replaces the region by
  ``# YOUR CODE HERE`` and ``raise NotImplementedError("Implement <function> (task <id>)")``,
  indented like the opening marker.
- ``BEGIN HIDDEN TESTS`` / ``END HIDDEN TESTS``: grader-only code. Stripping removes it.

Markers are found with :mod:`tokenize`, so the marker text inside a string literal (a docstring
that explains the convention, say) is not a marker. A marker must sit on a line of its own.
Nested, unclosed or stray markers, a solution region outside a function, one that spans two
functions, cuts a statement in half or is indented unlike the code it holds are instructor
mistakes: :class:`MarkerError` names the file and line. Line endings (LF, CRLF) and indentation
(spaces, tabs) are preserved.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from typing import Callable

SOLUTION = "solution"
HIDDEN_TESTS = "hidden_tests"

# (kind, is_begin, text); "END" texts contain no "BEGIN" text, so a substring test is exact.
_MARKERS = (
    (SOLUTION, True, "BEGIN SOLUTION"),
    (SOLUTION, False, "END SOLUTION"),
    (HIDDEN_TESTS, True, "BEGIN HIDDEN TESTS"),
    (HIDDEN_TESTS, False, "END HIDDEN TESTS"),
)
STUB_COMMENT = "# YOUR CODE HERE"


class MarkerError(ValueError):
    """A malformed region in an instructor's module: ``<file>:<line>: <what is wrong>``."""

    def __init__(self, filename: str, line: int, problem: str):
        self.filename, self.line, self.problem = filename, line, problem
        super().__init__(f"{filename}:{line}: {problem}")


@dataclass(frozen=True)
class Region:
    """One marked region. Line numbers are 1-based and refer to the marker lines themselves.

    ``function`` is the dotted name of the outermost function holding the region
    (``"affine_backward"``, ``"Model.loss"``), or None for a region outside any function
    (allowed for hidden tests only). ``body`` holds the source lines strictly between the
    markers, without line endings.
    """

    kind: str
    begin: int
    end: int
    indent: str
    function: str | None
    body: tuple[str, ...]


def _marker_of(comment: str) -> tuple[str, bool] | None:
    for kind, is_begin, text in _MARKERS:
        if text in comment:
            return kind, is_begin
    return None


def _comment_lines(source: str, filename: str) -> dict[int, str]:
    """Map line number -> comment text for every comment token of ``source``."""
    comments = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        line = exc.args[1][0] if isinstance(exc, tokenize.TokenError) else (exc.lineno or 0)
        raise MarkerError(filename, line, f"cannot tokenize: {exc.args[0]}") from None
    return comments


def _extent(lines: list[str], node: ast.AST) -> int:
    """Last line of a def, counting trailing comment lines indented deeper than the def."""
    last = node.end_lineno
    while last < len(lines):
        text = lines[last]
        if text.strip() and not (text.strip().startswith("#")
                                 and len(_indent(text).expandtabs()) > node.col_offset):
            break
        last += 1
    while last > node.end_lineno and not lines[last - 1].strip():
        last -= 1  # trailing blank lines belong to no one
    return last


def _functions(tree: ast.AST, lines: list[str]) -> list[tuple[str, int, int, ast.AST]]:
    """(dotted outermost-function name, first line, last line, node) for every def, nested too."""
    found = []

    def visit(node: ast.AST, prefix: str, outer: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = outer or f"{prefix}{child.name}"
                found.append((name, child.lineno, _extent(lines, child), child))
                visit(child, "", name)
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}." if outer is None else "", outer)
            else:
                visit(child, prefix, outer)

    visit(tree, "", None)
    return found


def find_regions(source: str, *, filename: str = "<source>") -> list[Region]:
    """Parse ``source`` and return its regions in order; raise MarkerError on a malformed one."""
    lines = source.splitlines()
    comments = _comment_lines(source, filename)
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise MarkerError(filename, exc.lineno or 0, f"not valid Python: {exc.msg}") from None
    functions = _functions(tree, lines)
    regions: list[Region] = []
    open_at: tuple[str, int] | None = None
    for lineno in sorted(comments):
        marker = _marker_of(comments[lineno])
        if marker is None:
            continue
        kind, is_begin = marker
        text = lines[lineno - 1]
        if text.strip() != comments[lineno].strip():
            raise MarkerError(filename, lineno, "a marker must be on a line of its own")
        if is_begin:
            if open_at is not None:
                raise MarkerError(filename, lineno,
                                  f"nested marker: a region opened on line {open_at[1]} is still open")
            open_at = (kind, lineno)
            continue
        if open_at is None:
            raise MarkerError(filename, lineno, "stray end marker: no region is open")
        if open_at[0] != kind:
            raise MarkerError(filename, lineno,
                              f"end marker does not match the region opened on line {open_at[1]}")
        begin = open_at[1]
        open_at = None
        regions.append(_region(kind, begin, lineno, lines, functions, filename))
    if open_at is not None:
        raise MarkerError(filename, open_at[1], "unclosed region: no end marker follows")
    return regions


def _indent(line: str) -> str:
    return re.match(r"[ \t]*", line).group(0)


def _region(kind: str, begin: int, end: int, lines: list[str],
            functions: list[tuple[str, int, int, ast.AST]], filename: str) -> Region:
    indent = _indent(lines[begin - 1])
    if _indent(lines[end - 1]) != indent:
        raise MarkerError(filename, end, f"end marker is indented unlike its begin marker (line {begin})")
    body = tuple(lines[begin:end - 1])
    # The innermost def containing the begin marker must contain the end marker as well.
    holders = [f for f in functions if f[1] < begin and end <= f[2]]
    outer = min(holders, key=lambda f: f[1])[0] if holders else None
    crossing = [f for f in functions if (f[1] < begin <= f[2]) != (f[1] < end <= f[2])]
    if crossing:
        raise MarkerError(filename, begin,
                          f"region spans beyond function {crossing[0][3].name} (ends on line {end})")
    if kind == SOLUTION and outer is None:
        raise MarkerError(filename, begin, "solution region outside a function")
    for line_no, text in enumerate(body, start=begin + 1):
        if text.strip() and not text.startswith(indent):
            raise MarkerError(filename, line_no,
                              f"line is indented less than the region's marker (line {begin})")
    return Region(kind, begin, end, indent, outer, body)


def _line_ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def default_task(assignment: str) -> Callable[[str], str]:
    """The task id of a function when the metadata names none: ``<assignment>/<function>``."""
    return lambda function: f"{assignment}/{function.split('.')[-1]}"


def stub_lines(region: Region, task: str, newline: str) -> list[str]:
    """The stub that replaces a solution region, indented like its marker."""
    name = region.function.split(".")[-1]
    return [f"{region.indent}{STUB_COMMENT}{newline}",
            f'{region.indent}raise NotImplementedError("Implement {name} (task {task})"){newline}']


def strip(source: str, *, task_for: Callable[[str], str], filename: str = "<source>") -> str:
    """Return ``source`` with solution regions stubbed and hidden-test regions removed.

    ``task_for(function)`` gives the task id a stub names. The result is checked to be valid
    Python in which every stubbed function still exists; otherwise MarkerError.
    """
    regions = find_regions(source, filename=filename)
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    cursor = 0  # index into lines of the next line not yet copied
    for region in regions:
        out.extend(lines[cursor:region.begin - 1])
        if region.kind == SOLUTION:
            newline = _line_ending(lines[region.begin - 1]) or "\n"
            out.extend(stub_lines(region, task_for(region.function), newline))
        cursor = region.end
    out.extend(lines[cursor:])
    stripped = "".join(out)
    _check_stripped(stripped, regions, filename)
    return stripped


def _check_stripped(stripped: str, regions: list[Region], filename: str) -> None:
    try:
        tree = ast.parse(stripped, filename=filename)
    except SyntaxError as exc:
        # Name the last region that starts before the error: the one that broke the code.
        before = [r for r in regions if r.begin <= (exc.lineno or 0)] or regions
        line = before[-1].begin if before else (exc.lineno or 0)
        raise MarkerError(filename, line,
                          f"stripping the regions leaves invalid Python ({exc.msg}); a region "
                          "must hold whole statements and leave each function a body") from None
    names = {name for name, *_ in _functions(tree, stripped.splitlines())}
    for region in regions:
        if region.kind == SOLUTION and region.function not in names:
            raise MarkerError(filename, region.begin,
                              f"stripping the region removes function {region.function}")


def solution_lines(source: str, *, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line number, text) of every line inside a solution region: the secrets a leak scan seeks."""
    return [(r.begin + 1 + i, text) for r in find_regions(source, filename=filename)
            if r.kind == SOLUTION for i, text in enumerate(r.body)]


def hidden_test_lines(source: str, *, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line number, text) of every line inside a hidden-tests region."""
    return [(r.begin + 1 + i, text) for r in find_regions(source, filename=filename)
            if r.kind == HIDDEN_TESTS for i, text in enumerate(r.body)]


def read_source(path) -> str:
    """Read a module keeping its line endings exactly (CRLF stays CRLF)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()
