"""Authoring gates: an assignment's own mistakes, found before anything is built.

An instructor's slip (a task nobody checks, points that disagree, a check that names a function
no layer case calls) must stop the release with one line per mistake naming the file, the task,
check or function, and what to do, never a traceback. `authoring_problems(assignment)` returns
those lines; `authoring_gate(build)`, the release's first step, raises them as one
`ReleaseError`; `python -m grader release --check` runs only this. What is checked:

- declarations: the check modules import, each check scores a task assignment.toml declares,
  no two checks share an id, a task's `check_points` leave points for its other derived checks
  (`declarations`; the checks derived from the layer cases, `grader.checks.derived`, count as
  the task's checks from here on);
- a task with no check;
- points: a task's points in assignment.toml against its checks' points, and the total the
  README advertises (the tasks') against what the checks grade out of;
- functions: every function a task, a layer case or a check names exists: a task's
  "module.function" in the reference module; a layer case's forward and backward; the
  literal function name of a check's `forward_cases` / `gradient_cases` call (a layer case must
  call it); the literal (module, function) of a `Call(...)` or `.call(...)` in the folder's
  check, scenario and behaviour modules;
- a task with no hidden (or after-due-date) check;
- calibration: every behavioural scenario a hidden check runs (a function of the folder's
  `behaviours` module or package, resolved from the check's imports) is declared, with the same
  arguments, in calibration.py (`grader.checks.calibration`).

The replay gate (`replay_gate`, run with the other gates once the public expected values are
recorded) runs every visible check as the student release does: on the recorded values only,
with no reference, against the reference solutions in process. A visible check that reads the
reference outside `ctx.expected`, or asks for a value the release did not record, fails it.
"""

from __future__ import annotations

import ast
import io
import traceback
from pathlib import Path

from grader.assignment import Assignment
from grader.checks.calibration import BEHAVIOURS_MODULE, bound_arguments, load_calibrations
from grader.course import course_module
from grader.release.build import Build, ReleaseError

TOLERANCE = 1e-9
CASE_LOOKUPS = {"forward_cases": "calls", "gradient_cases": "computes the gradient of"}


def _rel(path: Path | str, assignment: Assignment) -> str:
    """`path` as solutions/<a>/... (relative to the folder holding the assignment folder)."""
    try:
        return Path(path).resolve().relative_to(assignment.root.parent.parent).as_posix()
    except ValueError:
        return str(path)


def course_frame(error: BaseException, assignment: Assignment) -> str | None:
    """"solutions/<a>/checks.py:12 (in f)" of the innermost traceback frame (or the SyntaxError's
    line) inside the assignment folder, or None when the error never passed through it."""
    root = assignment.root.resolve()
    if isinstance(error, SyntaxError) and error.filename and Path(error.filename).resolve().is_relative_to(root):
        return f"{_rel(error.filename, assignment)}:{error.lineno}"
    where = None
    for frame in traceback.extract_tb(error.__traceback__):
        if Path(frame.filename).resolve().is_relative_to(root):
            where = f"{_rel(frame.filename, assignment)}:{frame.lineno} (in {frame.name})"
    return where


def describe(error: BaseException) -> str:
    """"KeyError: no layer case calls x" (a KeyError's message without repr quotes)."""
    text = error.args[0] if isinstance(error, KeyError) and len(error.args) == 1 else error
    return f"{type(error).__name__}: {text}"


# ---------------------------------------------------------------------------------- declarations

def declarations(assignment: Assignment) -> tuple[list[tuple[Path, object]], list[str], bool]:
    """([(check module path, CheckSpec)], problems, complete): the checks of every check module,
    each module imported on its own so that one module's mistake names that module; `complete`
    is False when cases.py or a check module did not import (the other gates would then
    report the checks it holds as missing)."""
    from grader.checks import derived as derived_module
    from grader.checks.derived import derive
    from grader.checks.registry import load_check_module, specs_of
    from grader.layercases import load_cases

    problems: list[str] = []
    toml = _rel(assignment.root / "assignment.toml", assignment)
    try:
        cases = load_cases(assignment.root, assignment.name)
    except Exception as error:  # the author's cases.py: report it, with its line
        where = course_frame(error, assignment) or _rel(assignment.root / "cases.py", assignment)
        return [], [f"{where}: {describe(error)}: fix the layer cases"], False
    found, seen, complete, modules = [], {}, True, []
    task_ids = {t.id for t in assignment.tasks}
    for path in assignment.check_paths():
        if not path.is_file():
            problems.append(f"{toml}: check module {path.name} does not exist: create it or "
                            "fix [assignment] checks")
            complete = False
            continue
        try:
            specs = specs_of(load_check_module(path))
        except Exception as error:
            where = course_frame(error, assignment) or _rel(path, assignment)
            problems.append(f"{where}: {describe(error)}: fix this check module")
            complete = False
            continue
        for spec in specs:
            here = f"{_rel(path, assignment)}:{spec.function.__code__.co_firstlineno}"
            if spec.id in seen:
                problems.append(f"{here}: check {spec.id} is declared twice (also at "
                                f"{seen[spec.id]}): rename one of the two functions")
                continue
            seen[spec.id] = here
            if spec.task not in task_ids:
                problems.append(f"{here}: check {spec.id} scores task {spec.task}, which {toml} "
                                "does not declare: add the task there or fix the check's task id")
                continue
            found.append((path, spec))
        modules.append([spec for p, spec in found if p == path])
    if not complete:
        return found, problems, complete
    try:
        every = derive(assignment.name, assignment.tasks, modules, cases)
    except ValueError as error:  # check_points that contradict the task's points
        return found, problems + [f"{toml}: task {error}"], False
    path_of = {id(spec): path for path, spec in found}
    found = [(path_of.get(id(spec), Path(derived_module.__file__)), spec) for spec in every]
    return found, problems, complete


# ---------------------------------------------------------------------------- tasks and points

def task_problems(assignment: Assignment, declared) -> list[str]:
    """A task with no check, or with no hidden check; a task whose checks' points differ from
    its points; a README total that differs from what the checks grade out of."""
    from grader.checks.derived import is_derived

    toml = _rel(assignment.root / "assignment.toml", assignment)
    problems = []
    for task in assignment.tasks:
        mine = [(path, spec) for path, spec in declared if spec.task == task.id]
        if not mine:
            problems.append(f"{toml}: task {task.id} ({task.points:g} points) has no check: "
                            f"declare one with @check(\"{task.id}\", points=..., visibility=..., "
                            "message=...) in a check module, or remove the task")
            continue
        total = sum(spec.points for _, spec in mine)
        if abs(total - task.points) > TOLERANCE:
            listed = ", ".join(f"{spec.id.split('/', 1)[1]} {spec.points:g}" for _, spec in mine)
            problems.append(f"{toml}: task {task.id} is worth {task.points:g} points but its "
                            f"checks add up to {total:g} ({listed}): make the task's points or "
                            "its checks' points agree")
        if task.check_points and not any(is_derived(spec) for _, spec in mine) and all(
                _defines(assignment, *name.split(".", 1)) for name in task.functions):
            problems.append(f"{toml}: task {task.id} sets check_points, but no layer case "
                            "computes its function, so it has no derived checks: remove them")
        if not any(spec.hidden for _, spec in mine):
            problems.append(f"{toml}: task {task.id} has no hidden check (only "
                            f"{', '.join(spec.id for _, spec in mine)}): add a check with "
                            "visibility=\"hidden\" (or \"after_due_date\"), so the grade does "
                            "not rest only on inputs students can see")
    graded = sum(spec.points for _, spec in declared)
    if abs(graded - assignment.points) > TOLERANCE:
        problems.append(f"{toml}: the README would advertise {assignment.points:g} points (the "
                        f"tasks' total) but the checks grade out of {graded:g}: make each task's "
                        "points the sum of its checks' points")
    return problems


# ------------------------------------------------------------------------------------ functions

def reference_modules(assignment: Assignment) -> dict:
    """{stem: module}: the reference modules as submodules of the folder's own package
    (`grader.course`), so a copy of an assignment never collides with the original."""
    return {stem: course_module(assignment.root, stem) for stem in assignment.modules}


def _defines(assignment: Assignment, module: str, function: str) -> bool:
    return callable(getattr(course_module(assignment.root, module), function, None))


def function_problems(assignment: Assignment) -> list[str]:
    """A task's or a layer case's function the reference module does not define; a literal
    function name in a check that no layer case calls or no module defines."""
    from grader.layercases import registered

    problems = []
    toml = _rel(assignment.root / "assignment.toml", assignment)
    for stem in assignment.modules:
        try:
            if course_module(assignment.root, stem) is None:
                return [f"{toml}: module {stem} has no file {stem}.py in the assignment folder"]
        except Exception as error:
            where = course_frame(error, assignment) or _rel(assignment.root / f"{stem}.py", assignment)
            return [f"{where}: {describe(error)}: the reference module {stem}.py must import"]
    for task in assignment.tasks:
        for name in task.functions:
            module, function = name.split(".", 1)
            if not _defines(assignment, module, function):
                problems.append(f"{toml}: task {task.id} names {name}, which "
                                f"{_rel(assignment.root / (module + '.py'), assignment)} does not "
                                "define: define it there or fix the name")
    cases_file = _rel(assignment.root / "cases.py", assignment)
    for case in registered(assignment.name):
        for name in case.functions:
            module, function = name.split(".", 1)
            if module not in assignment.modules:
                problems.append(f"{cases_file}: layer case {case.id} calls {name}, but {module} "
                                f"is not one of the modules in {toml}: fix the case's module")
            elif not _defines(assignment, module, function):
                problems.append(f"{cases_file}: layer case {case.id} calls {name}, which "
                                f"{module}.py does not define: define it or fix the case")
    for path in _support_files(assignment):
        problems += _literal_name_problems(assignment, path)
    return problems


def _support_files(assignment: Assignment) -> list[Path]:
    """The folder's Python that is not a student module or cases.py: check modules, scenarios,
    behaviours (the package's modules too)."""
    skip = {f"{stem}.py" for stem in assignment.modules} | {"cases.py", "__init__.py"}
    files = [p for p in sorted(assignment.root.glob("*.py")) if p.name not in skip]
    behaviours = assignment.root / BEHAVIOURS_MODULE
    if behaviours.is_dir():
        files += sorted(behaviours.rglob("*.py"))
    return files


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _callee(node: ast.Call) -> str | None:
    return node.func.id if isinstance(node.func, ast.Name) else (
        node.func.attr if isinstance(node.func, ast.Attribute) else None)


def _literal_name_problems(assignment: Assignment, path: Path) -> list[str]:
    from grader.checks import catalogue

    problems = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name, here = _callee(node), f"{_rel(path, assignment)}:{node.lineno}"
        if name in CASE_LOOKUPS and len(node.args) >= 2 and _literal(node.args[1]):
            function = _literal(node.args[1])
            try:
                getattr(catalogue, name)(assignment.name, function)
            except KeyError:
                problems.append(f"{here}: {name}(..., \"{function}\"): no layer case in cases.py "
                                f"{CASE_LOOKUPS[name]} {function}: add a LayerCase for it to "
                                "cases.py or fix the name")
        elif name in ("Call", "call") and len(node.args) >= 2:
            module, function = _literal(node.args[0]), _literal(node.args[1])
            if module in assignment.modules and function and not _defines(assignment, module, function):
                problems.append(f"{here}: calls {module}.{function}, which {module}.py does not "
                                "define: define it there or fix the name")
    return problems


# ---------------------------------------------------------------------------------- calibration

def _behaviour_bindings(assignment: Assignment, statements) -> dict[str, tuple[str, str | None]]:
    """{local name: (module, function or None)} bound by the relative imports among
    `statements` of the folder's behaviours ("behaviours.sigmoid", None) is a module."""
    out = {}
    for node in statements:
        if not isinstance(node, ast.ImportFrom) or node.level != 1:
            continue
        for alias in node.names:
            dotted = f"{node.module}.{alias.name}" if node.module else alias.name
            if dotted.split(".")[0] != BEHAVIOURS_MODULE:
                continue
            local = alias.asname or alias.name
            as_file = assignment.root / Path(*dotted.split("."))
            if as_file.with_suffix(".py").is_file() or (as_file / "__init__.py").is_file():
                out[local] = (dotted, None)
            else:
                out[local] = (node.module, alias.name)
    return out


def behaviour_calls(assignment: Assignment, path: Path, function_name: str):
    """[(line, module, function, args, kwargs)] of each behaviour the check function
    `function_name` of `path` calls; args/kwargs beyond (student, rng), None where not literal."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module_level = _behaviour_bindings(assignment, tree.body)
    calls = []
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name == function_name):
            continue
        bindings = dict(module_level)
        bindings.update(_behaviour_bindings(assignment, ast.walk(node)))
        for call in ast.walk(node):
            if not isinstance(call, ast.Call):
                continue
            target = _resolve(call.func, bindings)
            if target is None:
                continue
            try:
                args = tuple(ast.literal_eval(a) for a in call.args[2:])
                kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
            except ValueError:
                args, kwargs = None, None
            calls.append((call.lineno, target[0], target[1], args, kwargs))
    return calls


def _resolve(func, bindings) -> tuple[str, str] | None:
    if isinstance(func, ast.Name) and func.id in bindings and bindings[func.id][1]:
        return bindings[func.id]
    parts = []
    while isinstance(func, ast.Attribute):
        parts.insert(0, func.attr)
        func = func.value
    if isinstance(func, ast.Name) and func.id in bindings and bindings[func.id][1] is None and parts:
        module = ".".join([bindings[func.id][0]] + parts[:-1])
        return module, parts[-1]
    return None


def calibration_problems(assignment: Assignment, declared) -> list[str]:
    """A hidden check running a behaviour that calibration.py does not declare (with those
    arguments), or one the behaviours module does not define."""
    from grader.checks.derived import is_derived
    from grader.course import course_import

    try:
        calibrations = load_calibrations(assignment.root)
    except Exception as error:
        where = course_frame(error, assignment) or _rel(assignment.root / "calibration.py", assignment)
        return [f"{where}: {describe(error)}: fix calibration.py"]
    calibrated = {}
    for item in calibrations.calibrations:
        calibrated.setdefault((item.module, item.scenario.__name__), []).append(item.arguments())
    cal_file = _rel(calibrations.path, assignment)
    problems = []
    for path, spec in declared:
        if not spec.hidden or is_derived(spec):  # a derived check runs no behaviour
            continue
        for line, module, function, args, kwargs in behaviour_calls(assignment, path, spec.function.__name__):
            here = f"{_rel(path, assignment)}:{line}"
            try:
                scenario = getattr(course_import(assignment.root, module), function)
            except (ImportError, AttributeError):
                problems.append(f"{here}: hidden check {spec.id} calls {module}.{function}, which "
                                "does not exist: define it there or fix the name")
                continue
            known = calibrated.get((module, function), [])
            if args is None:
                ok, shown = bool(known), ""
            else:
                try:
                    arguments = bound_arguments(scenario, args, kwargs)
                except TypeError as error:
                    problems.append(f"{here}: hidden check {spec.id} calls {module}.{function} "
                                    f"with arguments it does not take ({error})")
                    continue
                ok = arguments in known
                shown = "".join(f", {k}={v!r}" for k, v in arguments.items())
            if not ok:
                extra = f", kwargs={arguments!r}" if args is not None and arguments else ""
                problems.append(
                    f"{here}: hidden check {spec.id} runs the behaviour {module}.{function}"
                    f"{shown and ' (' + shown[2:] + ')'} with no calibration: add "
                    f"Calibration({module}.{function}{extra}) to CALIBRATIONS in {cal_file} "
                    "(tests/checks/test_behaviour_calibration.py runs each against the reference "
                    "on many seeds with the TIGHTER thresholds)")
    return problems


# ---------------------------------------------------------------------------------------- gates

def authoring_problems(assignment: Assignment) -> list[str]:
    """Every authoring mistake of `assignment`, one line each (see the module docstring)."""
    declared, problems, complete = declarations(assignment)
    if not complete:
        return problems
    problems += task_problems(assignment, declared)
    problems += function_problems(assignment)
    problems += calibration_problems(assignment, declared)
    return problems


def authoring_gate(build: Build) -> None:
    """Step (the release's first): ReleaseError listing every authoring mistake, if any."""
    problems = authoring_problems(build.assignment)
    if problems:
        raise ReleaseError(f"authoring gate: {build.name} has {len(problems)} mistake(s):\n  "
                           + "\n  ".join(problems))
    build.notes.append(f"authoring gate: no mistake in {len(build.assignment.tasks)} task(s)")


def replay_gate(build: Build) -> None:
    """Gate: every visible check passes on the reference when replayed from the recorded
    public_expected.npz with no reference, as in the student release (module docstring)."""
    from grader.checks.behaviour_inprocess import InProcessRunner
    from grader.checks.context import ExpectedValues, load_public_expected, public_context
    from grader.checks.registry import collect
    from grader.checks.run import run_check
    from grader.release.expected import PUBLIC_EXPECTED

    a = build.assignment
    values = load_public_expected(io.BytesIO(build.files[PUBLIC_EXPECTED]))
    runner = InProcessRunner(reference_modules(a))
    problems, count = [], 0
    for spec in collect(a):
        if spec.visibility != "visible":
            continue
        count += 1
        where = f"{_rel(spec.function.__code__.co_filename, a)}:{spec.function.__code__.co_firstlineno}"
        try:
            result = run_check(spec, public_context(spec.id, runner, ExpectedValues("replay", values)))
        except KeyError as error:  # ctx.expected asked for a key the release did not record
            problems.append(f"{where}: visible check {spec.id} has no recorded expected value "
                            f"({describe(error)}): its ctx.expected keys must be the same on "
                            "every run, whatever the student returns")
            continue
        except RuntimeError as error:  # ctx.reference read outside a ctx.expected thunk
            problems.append(f"{where}: visible check {spec.id} uses the reference outside "
                            f"ctx.expected ({error}): the student release has no reference; "
                            "compute reference values inside ctx.expected(key, thunk)")
            continue
        if result.status != "passed":
            problems.append(f"{where}: visible check {spec.id} fails on the reference when "
                            f"replayed from {PUBLIC_EXPECTED}: {result.status}: {result.message}")
    if problems:
        raise ReleaseError(f"replay gate: {len(problems)} visible check(s) of {build.name} would "
                           "fail in the student release:\n  " + "\n  ".join(problems))
    build.notes.append(f"replay gate: {count} visible check(s) pass on recorded values alone")
