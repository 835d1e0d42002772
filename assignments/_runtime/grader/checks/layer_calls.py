"""Calling a layer case: the reference in this process, the student's through the runner.

The pieces gradients.py assembles into checks: drawing a case's inputs, upstream gradients and
directions (`draw` -> `Plan`, reference values through `ctx.expected`), the runner `Call`s of a
forward at x and at x + offset * h * u, validation of what comes back (`parse_outputs`,
`parse_gradients`), and directional derivatives with the case's step and stencil.

Student-safe: numpy, grader.gradcheck, grader.runner.protocol and this package only.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.checks.spec import CheckFailed
from grader.checks.validate import expect_array, expect_scalar, expect_tuple
from grader.gradcheck import DEFAULT_H, random_unit_directions
from grader.runner.protocol import Call, Handle, StudentError

#: Directions per differentiable input (2k forward calls each; 4k with the order-4 stencil).
K_DIRECTIONS = 3


def clone(value: Any) -> Any:
    """A deep copy of arguments (arrays, dicts, lists, tuples), so no call can change another's."""
    return copy.deepcopy(value)


def reference_run(reference, case, args, kwargs) -> tuple:
    """The reference forward on copies of the inputs: (outputs..., cache, args after the call).

    Returns a tuple of the forward's return value and the (possibly mutated) argument copies."""
    args, kwargs = clone(args), clone(kwargs)
    result = getattr(reference[case.module], case.forward)(*args, **kwargs)
    return result, args


def reference_outputs(reference, case, args, kwargs) -> tuple:
    """The reference forward's outputs (arrays; a loss case gives (loss, dx)) followed by the
    arrays it stored in its dict arguments (`case.stores`, e.g. running statistics)."""
    result, after = reference_run(reference, case, args, kwargs)
    outs = tuple(np.asarray(v, dtype=np.float64) for v in result[: n_outputs(case)])
    return outs + tuple(np.asarray(v, dtype=np.float64) for v in dict_arrays(case, after))


def reference_gradients(reference, case, args, kwargs, douts) -> tuple:
    """The reference's analytic gradients of the case's wrt inputs (tuple of arrays)."""
    result, _ = reference_run(reference, case, args, kwargs)
    if case.kind == "loss":
        return (np.asarray(result[1], dtype=np.float64),)
    grads = getattr(reference[case.module], case.backward)(*douts, result[case.cache_index])
    grads = grads if isinstance(grads, tuple) else (grads,)
    return tuple(np.asarray(g, dtype=np.float64) for g in grads)


def reference_directional(reference, case, args, kwargs, douts, directions):
    """Numerical derivatives of the reference forward along k joint directions: every wrt input
    moves at once along its own unit direction directions[i][j]. Returns an array of shape (k,);
    the analytic side is sum_i <grad_i, directions[i][j]>. 2k (order 4: 4k) forward calls."""
    h = step_of(case)
    k = len(directions[0]) if directions else 0
    out = np.zeros(k)
    for j in range(k):
        total = 0.0
        for offset, weight in stencil(case):
            perturbed = list(clone(args))
            for (_, pos), per_input in zip(case.wrt, directions):
                perturbed[pos] = (np.asarray(args[pos], dtype=np.float64)
                                  + offset * h * per_input[j])
            result, _ = reference_run(reference, case, tuple(perturbed), kwargs)
            total += weight * objective(case, result, douts)
        out[j] = total / h
    return out


def directional_error(numeric: float, analytic: float, scale: float) -> float:
    """How far a directional derivative is off: |numeric - analytic| / max(1e-8, |numeric| +
    |analytic|, scale), with scale the norm of the gradient (which bounds |<grad, u>| for a unit
    u). CS231n's rel_error on the two numbers alone explodes when a random direction happens to be
    nearly orthogonal to the gradient (both sides ~0, rounding then dominates); the norm floor
    keeps that case at rounding level while a wrong gradient still scores ~|error| / |grad|."""
    numeric, analytic = float(numeric), float(analytic)
    return abs(numeric - analytic) / max(1e-8, abs(numeric) + abs(analytic), float(scale))


def step_of(case) -> float:
    """The centred-difference step for a case (its own `h` when the catalogue gives one)."""
    return float(getattr(case, "h", None) or DEFAULT_H)


def stencil(case) -> tuple[tuple[float, float], ...]:
    """(offset in steps, weight) pairs: derivative = sum(weight * f(x + offset * h u)) / h.
    Order 2 is the centred difference; order 4 (case.order == 4) its Richardson extrapolation
    [f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)] / 12h, as the catalogue's own numerical gradients."""
    if getattr(case, "order", 2) == 4:
        return ((1.0, 8 / 12), (-1.0, -8 / 12), (2.0, -1 / 12), (-2.0, 1 / 12))
    return ((1.0, 0.5), (-1.0, -0.5))


def n_outputs(case) -> int:
    return 2 if case.kind == "loss" else case.outputs


def dict_arrays(case, args) -> list:
    """The arrays a forward stored in its dict arguments (`case.stores`), in order."""
    merged = {}
    for arg in args:
        if isinstance(arg, dict):
            merged.update(arg)
    return [merged.get(key) for key in case.stores]


def objective(case, result, douts) -> float:
    """The scalar whose gradient the backward returns: the loss, or sum_k <out_k, dout_k>."""
    if case.kind == "loss":
        return float(np.asarray(result[0], dtype=np.float64).reshape(()))
    return float(sum(np.sum(np.asarray(o, dtype=np.float64) * d)
                     for o, d in zip(result[: case.outputs], douts)))


def output_names(case) -> list[str]:
    if case.kind == "loss":
        return ["loss", "dx"]
    if case.outputs == 1:
        return ["out"]
    return [f"out{i}" for i in range(case.outputs)]


def drop_handles(runner, handles) -> None:
    handles = [h for h in handles if isinstance(h, Handle)]
    if handles and hasattr(runner, "drop"):
        runner.drop(*handles)


class Lazy(Sequence):
    """A sequence whose item k is thunks[k](), computed the first time it is asked for."""

    def __init__(self, thunks):
        self._thunks = list(thunks)
        self._values: dict[int, Any] = {}

    def __getitem__(self, k):
        if not isinstance(k, int):
            return [self[i] for i in range(len(self))][k]
        k = range(len(self._thunks))[k]  # negative indices; IndexError past the end
        if k not in self._values:
            self._values[k] = self._thunks[k]()
        return self._values[k]

    def __len__(self) -> int:
        return len(self._thunks)


@dataclass
class Plan:
    """One case drawn for one check: inputs, upstream gradients, directions, reference values."""

    case: Any
    args: tuple
    kwargs: dict
    ref_outputs: tuple
    douts: tuple = ()
    directions: list = field(default_factory=list)
    ref_grads: tuple = ()
    overlap: tuple = ()
    #: per differentiable input k: the reference's gradients when only that input has its
    #: entries reversed (`reversed_input`), to tell a backward that follows its inputs from a
    #: pass-through that agrees with a linear stand-in of the forward (a `Lazy` sequence for
    #: hidden checks, computed only when asked for)
    reversed_grads: Sequence = ()


def draw(ctx, index: int, case, *, with_gradients: bool) -> Plan:
    args, kwargs = case.make_inputs(ctx.rng)
    ref_outputs = ctx.expected(f"{index}:outputs",
                               lambda: reference_outputs(ctx.reference, case, args, kwargs))
    plan = Plan(case, args, kwargs, tuple(ref_outputs))
    if with_gradients and case.kind != "forward":
        if case.kind == "layer":
            plan.douts = tuple(ctx.rng.standard_normal(np.shape(o))
                               for o in plan.ref_outputs[: case.outputs])
        seeds = ctx.rng.integers(0, 2**31, size=len(case.wrt))
        plan.directions = [random_unit_directions(np.shape(args[pos]), K_DIRECTIONS, int(s))
                           for (_, pos), s in zip(case.wrt, seeds)]
        plan.ref_grads = tuple(ctx.expected(
            f"{index}:grads",
            lambda: reference_gradients(ctx.reference, case, args, kwargs, plan.douts)))
        reversed_grads = [
            lambda k=k, pos=pos: tuple(ctx.expected(f"{index}:reversed:{k}", lambda: (
                reference_gradients(ctx.reference, case, reversed_input(args, pos), kwargs,
                                    plan.douts))))
            for k, (_, pos) in enumerate(case.wrt)]
        # needed only when a backward agrees with a wrong forward: computed then in grading;
        # now where the values are recorded for the student release (visible checks)
        plan.reversed_grads = (Lazy(reversed_grads) if ctx.hidden
                               else tuple(thunk() for thunk in reversed_grads))
        if case.kind == "layer" and case.tags & {"overlap", "repeated"}:
            # drawn now, not on failure, so the release records it for the diagnosis
            ones = tuple(np.ones_like(d) for d in plan.douts)
            plan.overlap = tuple(np.asarray(c) > 1.5 for c in ctx.expected(
                f"{index}:overlap",
                lambda: reference_gradients(ctx.reference, case, args, kwargs, ones)))
    return plan


def reversed_input(args: tuple, pos: int) -> tuple:
    """`args` with args[pos]'s entries in reverse order: the same values (as far from any kink,
    as distinct), at other places."""
    args = list(args)
    x = np.asarray(args[pos], dtype=np.float64)
    args[pos] = x.ravel()[::-1].reshape(x.shape).copy()
    return tuple(args)


def forward_call(plan: Plan, args=None) -> Call:
    case = plan.case
    keep = () if case.kind == "loss" else (case.cache_index,)
    return Call(case.module, case.forward, clone(plan.args if args is None else args),
                clone(plan.kwargs), keep)


def perturbed_calls(plan: Plan) -> list[Call]:
    calls, h = [], step_of(plan.case)
    for (_, pos), directions in zip(plan.case.wrt, plan.directions):
        for u in directions:
            for offset, _ in stencil(plan.case):
                args = list(plan.args)
                args[pos] = np.asarray(args[pos], dtype=np.float64) + offset * h * u
                calls.append(forward_call(plan, tuple(args)))
    return calls


def raise_first_error(values) -> None:
    for value in values:
        if isinstance(value, StudentError):
            raise value


def parse_outputs(plan: Plan, value) -> tuple[list[np.ndarray], Any]:
    """Validate a forward's return: (arrays of its outputs, the cache Handle or None)."""
    case = plan.case
    name = case.forward
    if case.kind == "loss":
        loss, dx = expect_tuple(name, value, ["loss", "dx"])
        return [np.asarray(expect_scalar(name, "loss", loss)),
                expect_array(name, "dx", dx, expected=plan.ref_outputs[1])], None
    items = expect_tuple(name, value, output_names(case) + ["cache"])
    outs = [expect_array(name, n, v, expected=e)
            for n, v, e in zip(output_names(case), items[: case.outputs], plan.ref_outputs)]
    return outs, items[case.cache_index]


def stored_outputs(plan: Plan, call: Call) -> list[np.ndarray]:
    """The arrays the student's forward stored in its dict arguments (the runner copies the
    child's dicts back into `call.args`), validated against the reference's shapes."""
    case = plan.case
    stored = []
    for key, value, expected in zip(case.stores,
                                    dict_arrays(case, call.args),
                                    plan.ref_outputs[n_outputs(case):]):
        if value is None:
            raise CheckFailed(f"{case.forward} did not store {key!r} in its parameter dict")
        stored.append(expect_array(case.forward, key, value, expected=expected))
    return stored


def parse_gradients(plan: Plan, value) -> list[np.ndarray]:
    case = plan.case
    names = ["d" + name for name, _ in case.wrt]
    if len(names) == 1 and not isinstance(value, (tuple, list)):
        items = (value,)
    else:
        items = expect_tuple(case.backward, value, names)
    return [expect_array(case.backward, n, v, expected=e)
            for n, v, e in zip(names, items, plan.ref_grads)]


def own_directional(plan: Plan, grads, perturbed_values) -> list[list[float]]:
    """rel errors, per wrt input and direction, of the backward against the student's forward."""
    errors, i, h = [], 0, step_of(plan.case)
    for g, directions in zip(grads, plan.directions):
        row = []
        for u in directions:
            numeric = 0.0
            for offset_weight, value in zip(stencil(plan.case), perturbed_values[i:]):
                if isinstance(value, StudentError):
                    raise value
                outs, _ = parse_outputs(plan, value)
                numeric += offset_weight[1] * objective(plan.case, outs, plan.douts)
            i += len(stencil(plan.case))
            row.append(directional_error(numeric / h, np.sum(g * u), np.linalg.norm(g)))
        errors.append(row)
    return errors
