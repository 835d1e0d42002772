"""The standard checks of a task whose function has layer cases, derived instead of declared.

A task of one function (`functions = ["module.name"]` in assignment.toml) whose `name` the
assignment's layer cases (cases.py) compute gets these checks, by the function's role:

    forward (a case calls it)          <name>_values               visible  standard case
                                       <name>_values_hidden        hidden   every case
    backward (a case's backward)       <name>_own_gradient         visible  standard, own forward
                                       <name>_gradient_hidden      hidden   standard, reference
                                       <name>_hard_gradient_hidden hidden   hard cases, reference
    loss (a "loss" case's forward)     <name>_values               visible  standard case
                                       <name>_own_gradient         visible  standard, own loss
                                       <name>_values_hidden        hidden   every case
                                       <name>_gradient_hidden      hidden   every case, reference

(`grader.checks.catalogue`: the standard case is the function's first, the hard ones the rest.)
A task with `hard_check = false` in its assignment.toml entry has no `<name>_hard_gradient_hidden`;
its `<name>_gradient_hidden` runs on every case instead of the standard one. The check id is
"<assignment>/<name>_<role>", the message a fixed sentence naming the function (and its forward).

Points. A task's points (assignment.toml) pay for all its checks: the declared ones (checks.py,
*_checks.py) keep their own `points=`; what is left is split equally among its derived checks.
`check_points = { <role> = <points>, ... }` in the task's entry fixes some derived checks'
points, and the others split what is left after those (a task whose function no layer case
computes derives nothing; the release's authoring gate refuses check_points there). tests/checks/test_points.py holds that
every task's checks add up to its points.

Overriding a whole check: a declaration in a check module with the id of a derived check
(function name `<name>_<role>`) replaces it (its message, points, inputs and position).

Order: the derived checks join the first check module's (checks.py) declarations: those of a
task come right before its first declared check there, or that of any later task (in
assignment.toml's order), so a task's checks read standard first, special after; the rest
follow its last declaration, and the other check modules' checks come after them all.

In the student release the hidden checks (and so their points) are absent: the release writes
the resolved points of the visible derived checks into the released assignment.toml
(`[public_check_points]`, `public_points_table`), and `derive` takes them as `fixed_points`.

Student-safe: standard library and grader.checks.catalogue (numpy) only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from grader.checks.catalogue import forward_cases, gradient_cases, hard, standard, tags_of
from grader.checks.gradients import forward_check, gradient_check
from grader.checks.spec import CheckSpec

PUBLIC_POINTS_TABLE = "public_check_points"


@dataclass(frozen=True)
class Derived:
    """One derived check before its points: role, visibility, message, and what it runs.

    call: the equivalent declared body, e.g. 'gradient_check(ctx, standard(gradient_cases(A,
    "relu_backward")), against="own")', for reading and for comparing with a declaration.
    """

    role: str
    visibility: str
    message: str
    run: Callable
    call: str


def _forward(a: str, name: str) -> Callable:
    return lambda ctx: forward_check(ctx, forward_cases(a, name))


def _forward_standard(a: str, name: str) -> Callable:
    return lambda ctx: forward_check(ctx, standard(forward_cases(a, name)))


def _gradient(a: str, name: str, pick: Callable | None, against: str) -> Callable:
    if pick is None:
        return lambda ctx: gradient_check(ctx, gradient_cases(a, name), against=against)
    return lambda ctx: gradient_check(ctx, pick(gradient_cases(a, name)), against=against)


def role_of(a: str, name: str, cases) -> str | None:
    """"loss", "backward", "forward" or None (no layer case computes `name`)."""
    if any(c.kind == "loss" and c.forward == name for c in cases):
        return "loss"
    if any(c.backward == name for c in cases):
        return "backward"
    if any(c.forward == name for c in cases):
        return "forward"
    return None


def derived_checks(a: str, name: str, cases, *, hard_check: bool = True) -> list[Derived]:
    """The derived checks of function `name` of assignment `a` (see the module docstring)."""
    role = role_of(a, name, cases)
    fc, gc = f'forward_cases(A, "{name}")', f'gradient_cases(A, "{name}")'
    if role == "forward":
        return [
            Derived("values", "visible",
                    f"{name} matches the reference output on the standard inputs",
                    _forward_standard(a, name), f"forward_check(ctx, standard({fc}))"),
            Derived("values_hidden", "hidden",
                    f"{name} matches the reference output on fresh and hard inputs",
                    _forward(a, name), f"forward_check(ctx, {fc})"),
        ]
    if role == "loss":
        return [
            Derived("values", "visible",
                    f"{name} returns the reference loss and dx on the standard inputs",
                    _forward_standard(a, name), f"forward_check(ctx, standard({fc}))"),
            Derived("own_gradient", "visible",
                    f"{name}'s dx matches numerical gradients of your own loss",
                    _gradient(a, name, standard, "own"),
                    f'gradient_check(ctx, standard({gc}), against="own")'),
            Derived("values_hidden", "hidden",
                    f"{name} returns the right loss and dx on fresh and hard inputs",
                    _forward(a, name), f"forward_check(ctx, {fc})"),
            Derived("gradient_hidden", "hidden",
                    f"{name}'s dx matches numerical gradients of the reference loss on fresh "
                    "and hard inputs",
                    _gradient(a, name, None, "reference"),
                    f'gradient_check(ctx, {gc}, against="reference")'),
        ]
    if role != "backward":
        return []
    mine = [c for c in cases if c.backward == name]
    forward = mine[0].forward
    own = Derived("own_gradient", "visible",
                  f"{name} agrees with numerical gradients of your own {forward} on the "
                  "standard shapes",
                  _gradient(a, name, standard, "own"),
                  f'gradient_check(ctx, standard({gc}), against="own")')
    if not hard_check:
        return [own, Derived("gradient_hidden", "hidden",
                             f"{name} matches numerical gradients of the reference {forward} on "
                             "fresh and hard inputs",
                             _gradient(a, name, None, "reference"),
                             f'gradient_check(ctx, {gc}, against="reference")')]
    return [
        own,
        Derived("gradient_hidden", "hidden",
                f"{name} matches numerical gradients of the reference {forward} on fresh "
                "standard inputs",
                _gradient(a, name, standard, "reference"),
                f'gradient_check(ctx, standard({gc}), against="reference")'),
        Derived("hard_gradient_hidden", "hidden",
                f"{name} matches numerical gradients of the reference {forward} on hard "
                f"configurations ({tags_of(hard(mine))})",
                _gradient(a, name, hard, "reference"),
                f'gradient_check(ctx, hard({gc}), against="reference")'),
    ]


def _function_name(task) -> str | None:
    """The function of a task of exactly one function ("module.name" -> "name"), else None."""
    functions = tuple(task.functions)
    return functions[0].split(".", 1)[1] if len(functions) == 1 else None


def _points(task, found: list[Derived], declared_points: float) -> dict[str, float]:
    """{role: points} of a task's derived checks (see the module docstring)."""
    fixed = dict(getattr(task, "check_points", None) or ())
    roles = [d.role for d in found]
    unknown = sorted(set(fixed) - set(roles))
    if unknown:
        raise ValueError(f"{task.id}: check_points names {unknown}, not derived checks of the "
                         f"task (they are {roles}): fix the names")
    rest = [r for r in roles if r not in fixed]
    left = task.points - declared_points - sum(fixed.values())
    if rest and not left > 1e-12:
        raise ValueError(f"{task.id}: no points left for its derived checks {rest} "
                         f"({task.points} - {declared_points} declared - "
                         f"{sum(fixed.values())} in check_points): lower those or raise the "
                         "task's points")
    return {**fixed, **{r: left / len(rest) for r in rest}}


def derive(assignment_name: str, tasks, modules: list[list[CheckSpec]], cases, *,
           fixed_points: dict[str, float] | None = None) -> list[CheckSpec]:
    """Every check of the assignment: the declared ones (`modules`: each check module's specs,
    checks.py first) with the derived checks of `tasks` merged into the first module's.

    tasks: objects with id, points, functions (and optionally hard_check, check_points), in
    assignment.toml's order. cases: the assignment's registered layer cases. fixed_points:
    {check id: points} as the student release records them; when given, only the derived
    checks it names are made (the visible ones), with those points.
    """
    declared = [spec for specs in modules for spec in specs]
    declared_ids = {s.id for s in declared}
    by_task: dict[str, list[CheckSpec]] = {}
    for task in tasks:
        name = _function_name(task)
        if name is None:
            continue
        if role_of(assignment_name, name, cases) is None:
            continue  # no layer case computes it: nothing derived, check_points unused
        found = [d for d in derived_checks(assignment_name, name, cases,
                                           hard_check=getattr(task, "hard_check", True))
                 if f"{assignment_name}/{name}_{d.role}" not in declared_ids]
        if fixed_points is None:
            spent = sum(s.points for s in declared if s.task == task.id)
            points = _points(task, found, spent)
        else:
            found = [d for d in found if f"{assignment_name}/{name}_{d.role}" in fixed_points]
            points = {d.role: fixed_points[f"{assignment_name}/{name}_{d.role}"] for d in found}
        by_task[task.id] = [_spec(assignment_name, task.id, name, d, points[d.role])
                            for d in found]
    order = [t.id for t in tasks]
    first, others = (modules[0], modules[1:]) if modules else ([], [])
    merged, emitted = [], 0
    for spec in first:
        upto = order.index(spec.task) + 1 if spec.task in order else 0
        for task_id in order[emitted:upto]:
            merged.extend(by_task.get(task_id, ()))
        emitted = max(emitted, upto)
        merged.append(spec)
    for task_id in order[emitted:]:
        merged.extend(by_task.get(task_id, ()))
    return merged + [spec for specs in others for spec in specs]


def _spec(a: str, task_id: str, name: str, d: Derived, points: float) -> CheckSpec:
    d.run.__name__ = d.run.__qualname__ = f"{name}_{d.role}"
    d.run.derived_call = d.call
    return CheckSpec(id=f"{a}/{name}_{d.role}", task=task_id, points=float(points),
                     visibility=d.visibility, message=d.message, function=d.run)


def is_derived(spec: CheckSpec) -> bool:
    """True for a check `derive` made (not declared in a check module)."""
    return hasattr(spec.function, "derived_call")


def public_points_table(specs) -> dict[str, float]:
    """{check id: points} of the visible derived checks among `specs`: what the release writes
    to `[public_check_points]` for the student's `check`."""
    return {s.id: s.points for s in specs if s.visibility == "visible" and is_derived(s)}
