"""Mutants of every solution region of an assignment, one fault each.

    generate(assignment, *, tasks=None, operators=None) -> list[Mutant]

For each module of the assignment, each ``### BEGIN/END SOLUTION`` region (grader.markers) and
each syntax-tree node inside it, every operator of `grader.mutants.operators` proposes edits;
an edit replaces the node's exact source span, so a mutant is the instructor's file with one
span changed (comments, layout and everything outside the region are kept). A mutant is kept
when the file still parses, its tree differs from the original's, and no earlier mutant of the
same module has the same source. Mutant ids are stable: `<module>.<function>:<line>:<op>:<k>`.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass
from pathlib import Path

from grader.markers import SOLUTION, find_regions, read_source
from grader.mutants.operators import OPERATORS, Edit, Scope


@dataclass(frozen=True)
class Mutant:
    """One mutated module. `source` is the whole module's text with the fault in it."""

    id: str
    module: str          # module stem, "layers"
    function: str        # function name, "affine_backward"
    task: str            # task id of the function ("backprop/affine_backward")
    operator: str
    what: str            # the edit in words
    line: int
    source: str
    diff: str            # unified diff against the reference module


def _line_offsets(source: str) -> list[int]:
    offsets, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        offsets.append(total)
    return offsets


def _offset(source_lines: list[str], offsets: list[int], line: int, col_bytes: int) -> int:
    """Character offset of (1-based line, UTF-8 byte column) in the source."""
    text = source_lines[line - 1]
    return offsets[line - 1] + len(text.encode("utf-8")[:col_bytes].decode("utf-8"))


def _splice_text(source: str, node: ast.AST, text: str) -> str:
    lines = source.splitlines(keepends=True)
    offsets = _line_offsets(source)
    start = _offset(lines, offsets, node.lineno, node.col_offset)
    end = _offset(lines, offsets, node.end_lineno, node.end_col_offset)
    return source[:start] + text + source[end:]


def splice(source: str, edit: Edit) -> str:
    """`source` with the edit's node span replaced; an expression is parenthesized only when
    leaving the parentheses out would parse differently."""
    plain = _splice_text(source, edit.node, edit.text)
    if not isinstance(edit.node, ast.expr):
        return plain
    wrapped = _splice_text(source, edit.node, f"({edit.text})")
    try:
        if ast.dump(ast.parse(plain)) == ast.dump(ast.parse(wrapped)):
            return plain
    except SyntaxError:
        pass
    return wrapped


def _scope(function: ast.AST) -> Scope:
    names = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
    params = tuple(a.arg for a in function.args.args)
    names.update(params)
    arrays = list(params)
    for node in ast.walk(function):
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple)
                and isinstance(node.value, ast.Name) and "cache" in node.value.id):
            arrays.extend(e.id for e in node.targets[0].elts if isinstance(e, ast.Name))
    arrays = [a for a in dict.fromkeys(arrays) if "cache" not in a and "param" not in a]
    parents = {id(child): node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
    return Scope(params=params, names=frozenset(names), arrays=tuple(arrays), parents=parents)


def _defs(tree: ast.AST) -> dict[str, ast.AST]:
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.setdefault(node.name, node)
    return found


def _task_of(assignment, module: str, function: str) -> str | None:
    for task in assignment.tasks:
        if f"{module}.{function}" in task.functions:
            return task.id
    return None


def module_mutants(assignment, module: str, *, tasks=None, operators=None) -> list[Mutant]:
    path = Path(assignment.root) / f"{module}.py"
    source = read_source(path)
    tree = ast.parse(source, filename=str(path))
    baseline = ast.dump(tree)
    defs = _defs(tree)
    chosen = {name: OPERATORS[name] for name in (operators or OPERATORS)}
    seen: set[str] = {source}
    mutants: list[Mutant] = []
    for region in find_regions(source, filename=str(path)):
        if region.kind != SOLUTION:
            continue
        function = region.function.split(".")[-1]
        task = _task_of(assignment, module, function)
        if task is None or (tasks is not None and task not in tasks):
            continue
        holder = defs[function]
        scope = _scope(holder)
        inside = [n for n in ast.walk(holder) if hasattr(n, "lineno")
                  and region.begin < n.lineno and n.end_lineno < region.end]
        inside.sort(key=lambda n: (n.lineno, n.col_offset))
        for node in inside:
            for op_name, op in chosen.items():
                for edit in op(node, scope):
                    mutated = splice(source, edit)
                    if mutated in seen:
                        continue
                    try:
                        if ast.dump(ast.parse(mutated)) == baseline:
                            continue
                        compile(mutated, str(path), "exec")
                    except SyntaxError:
                        continue
                    seen.add(mutated)
                    count = sum(1 for m in mutants if m.function == function and m.line == node.lineno
                                and m.operator == op_name)
                    mutants.append(Mutant(
                        id=f"{module}.{function}:{node.lineno}:{op_name}:{count}", module=module,
                        function=function, task=task, operator=op_name, what=edit.what,
                        line=node.lineno, source=mutated, diff=unified_diff(source, mutated, module)))
    return mutants


def unified_diff(before: str, after: str, module: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        f"reference/{module}.py", f"mutant/{module}.py", n=1))


def generate(assignment, *, tasks=None, operators=None) -> list[Mutant]:
    """Every mutant of the assignment's solution regions (of `tasks` only, when given), with
    the operators named in `operators` (default: all of grader.mutants.operators.OPERATORS)."""
    unknown = set(operators or ()) - set(OPERATORS)
    if unknown:
        raise ValueError(f"unknown mutation operators {sorted(unknown)} (known: {sorted(OPERATORS)})")
    if tasks is not None:
        missing = set(tasks) - {t.id for t in assignment.tasks}
        if missing:
            raise ValueError(f"assignment {assignment.name!r} has no tasks {sorted(missing)}")
    return [m for module in assignment.modules
            for m in module_mutants(assignment, module, tasks=tasks, operators=operators)]


def callers(assignment) -> dict[str, set[str]]:
    """{function: itself and every function of the assignment's modules that calls it, directly
    or through others} by bare name, from the reference modules' syntax trees."""
    calls: dict[str, set[str]] = {}
    for module in assignment.modules:
        tree = ast.parse(read_source(Path(assignment.root) / f"{module}.py"))
        for name, node in _defs(tree).items():
            called = calls.setdefault(name, set())
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call):
                    func = inner.func
                    called.add(func.id if isinstance(func, ast.Name)
                               else func.attr if isinstance(func, ast.Attribute) else "")
    closure = {}
    for target in calls:
        found, frontier = {target}, [target]
        while frontier:
            current = frontier.pop()
            for name, called in calls.items():
                if current in called and name not in found:
                    found.add(name)
                    frontier.append(name)
        closure[target] = found
    return closure
