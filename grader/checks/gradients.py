"""Gradient and forward-value checks of layer cases, driven through the student's runner.

A case (grader.layercases.LayerCase) names a forward/backward pair and draws its own inputs.
Two round trips grade any number of cases: (1) the student's forward on the inputs (cache kept
in the child) plus the forward at x +/- h u for k random unit directions u per input; (2) the
student's backward with the kept caches. Every number is then computed here.

    gradient_check(ctx, cases, against="own")        visible: the student's backward against
        directional derivatives of the student's OWN forward (reference values only name a bug)
    gradient_check(ctx, cases, against="reference")  hidden: element-wise against the reference
        gradients and directionally against the REFERENCE forward; when that fails but the
        backward agrees with the student's own forward, "forward_wrong_backward_consistent"
        earns half the points
    forward_check(ctx, cases)                         outputs (and dicts the forward updates in
        place, e.g. bn_param's running statistics) against the reference's

Reference values come only through `ctx.expected`, so the same code runs in the grader (computed
from the reference) and in the student release (recorded at release time).

Student-safe: numpy, grader.gradcheck, grader.runner.protocol and this package only.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from grader.checks.diagnose import diagnose, local_confusions
from grader.checks.spec import CheckFailed
from grader.checks.validate import expect_array, expect_scalar, expect_tuple
from grader.gradcheck import DEFAULT_H, random_unit_directions, rel_error
from grader.runner.protocol import Call, Handle, StudentError

#: Directions per differentiable input (2k forward calls each).
K_DIRECTIONS = 3
#: Forward outputs of "layer" and "loss" cases are compared at this relative error: two correct
#: float64 formulas differ by rounding only (~1e-13 relative; the 1e-8 floor of rel_error bounds
#: elements near zero), while every forward bug we know gives > 1e-3.
FORWARD_THRESHOLD = 1e-7
#: Directional derivatives are single numbers: rounding of f(x +/- h u) costs eps * |f| / h, so
#: the bar is the case's threshold but never below this floor.
DIRECTIONAL_FLOOR = 1e-6
#: Fraction of the points for a backward consistent with the student's own (wrong) forward.
CONSISTENT_PARTIAL = 0.5


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
    arrays it stored in its dict arguments (STORED_KEYS, e.g. bn_param's running stats)."""
    result, after = reference_run(reference, case, args, kwargs)
    outs = tuple(np.asarray(v, dtype=np.float64) for v in result[: _n_outputs(case)])
    return outs + tuple(np.asarray(v, dtype=np.float64) for v in _dict_arrays(case, after))


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
            total += weight * _objective(case, result, douts)
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


def _n_outputs(case) -> int:
    return 2 if case.kind == "loss" else case.outputs


#: Arrays a forward stores into its parameter dict, compared like outputs.
STORED_KEYS = {"batchnorm_forward": ("running_mean", "running_var")}


def _dict_arrays(case, args) -> list:
    """The arrays a forward stored in its dict arguments (STORED_KEYS), in order."""
    merged = {}
    for arg in args:
        if isinstance(arg, dict):
            merged.update(arg)
    return [merged.get(key) for key in STORED_KEYS.get(case.forward, ())]


def _objective(case, result, douts) -> float:
    """The scalar whose gradient the backward returns: the loss, or sum_k <out_k, dout_k>."""
    if case.kind == "loss":
        return float(np.asarray(result[0], dtype=np.float64).reshape(()))
    return float(sum(np.sum(np.asarray(o, dtype=np.float64) * d)
                     for o, d in zip(result[: case.outputs], douts)))


def _output_names(case) -> list[str]:
    if case.kind == "loss":
        return ["loss", "dx"]
    if case.outputs == 1:
        return ["out"]
    return [f"out{i}" for i in range(case.outputs)]


def _drop(runner, handles) -> None:
    handles = [h for h in handles if isinstance(h, Handle)]
    if handles and hasattr(runner, "drop"):
        runner.drop(*handles)


@dataclass
class _Plan:
    """One case drawn for one check: inputs, upstream gradients, directions, reference values."""

    case: Any
    args: tuple
    kwargs: dict
    ref_outputs: tuple
    douts: tuple = ()
    directions: list = field(default_factory=list)
    ref_grads: tuple = ()


def _draw(ctx, index: int, case, *, with_gradients: bool) -> _Plan:
    args, kwargs = case.make_inputs(ctx.rng)
    ref_outputs = ctx.expected(f"{index}:outputs",
                               lambda: reference_outputs(ctx.reference, case, args, kwargs))
    plan = _Plan(case, args, kwargs, tuple(ref_outputs))
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
    return plan


def _forward_call(plan: _Plan, args=None) -> Call:
    case = plan.case
    keep = () if case.kind == "loss" else (case.cache_index,)
    return Call(case.module, case.forward, clone(plan.args if args is None else args),
                clone(plan.kwargs), keep)


def _perturbed_calls(plan: _Plan) -> list[Call]:
    calls, h = [], step_of(plan.case)
    for (_, pos), directions in zip(plan.case.wrt, plan.directions):
        for u in directions:
            for offset, _ in stencil(plan.case):
                args = list(plan.args)
                args[pos] = np.asarray(args[pos], dtype=np.float64) + offset * h * u
                calls.append(_forward_call(plan, tuple(args)))
    return calls


def _raise_first_error(values) -> None:
    for value in values:
        if isinstance(value, StudentError):
            raise value


def _parse_outputs(plan: _Plan, value, call: Call | None) -> tuple[list[np.ndarray], Any]:
    """Validate a forward's return: (arrays of its outputs, the cache Handle or None)."""
    case = plan.case
    name = case.forward
    if case.kind == "loss":
        loss, dx = expect_tuple(name, value, ["loss", "dx"])
        return [np.asarray(expect_scalar(name, "loss", loss)),
                expect_array(name, "dx", dx, expected=plan.ref_outputs[1])], None
    items = expect_tuple(name, value, _output_names(case) + ["cache"])
    outs = [expect_array(name, n, v, expected=e)
            for n, v, e in zip(_output_names(case), items[: case.outputs], plan.ref_outputs)]
    return outs, items[case.cache_index]


def _stored_outputs(plan: _Plan, call: Call) -> list[np.ndarray]:
    """The arrays the student's forward stored in its dict arguments (the runner copies the
    child's dicts back into `call.args`), validated against the reference's shapes."""
    case = plan.case
    stored = []
    for key, value, expected in zip(STORED_KEYS.get(case.forward, ()),
                                    _dict_arrays(case, call.args),
                                    plan.ref_outputs[_n_outputs(case):]):
        if value is None:
            raise CheckFailed(f"{case.forward} did not store {key!r} in its parameter dict")
        stored.append(expect_array(case.forward, key, value, expected=expected))
    return stored


def _failure_words(name: str, got: np.ndarray, want: np.ndarray, plan: _Plan, wrt_index: int,
                   overlap) -> tuple[str | None, str]:
    """(diagnosis code, ': words' or '') for a wrong gradient or output."""
    case = plan.case
    candidates = {}
    if case.kind == "layer" and len(case.wrt) == 1 and case.outputs == 1 and plan.douts:
        x = np.asarray(plan.args[case.wrt[0][1]], dtype=np.float64)
        if x.shape == plan.douts[0].shape:
            candidates = local_confusions(case.forward, x, plan.ref_outputs[0], plan.douts[0])
    batch = np.shape(plan.args[0])[0] if np.ndim(plan.args[0]) else None
    found = diagnose(name, got, want, batch_size=batch, overlap=overlap, candidates=candidates)
    return (found.code, f": {found.words}") if found else (None, "")


def _dropout_structure(plan: _Plan, out: np.ndarray) -> str | None:
    """For seeded dropout (tag "rng", masks may come from another valid use of the rng): every
    element is 0 or x / p, and the kept fraction is within 5 binomial sigmas of p."""
    x, param = plan.args[0], plan.args[1]
    p = float(param["p"])
    kept = np.abs(out - x / p) <= 1e-9 * np.maximum(1.0, np.abs(x / p))
    dropped = np.abs(out) <= 1e-12
    if not np.all(kept | dropped):
        return "some outputs are neither 0 nor x / p (inverted dropout scales kept units by 1/p)"
    n = x.size
    if abs(kept.mean() - p) > 5 * np.sqrt(p * (1 - p) / n) + 1.0 / n:
        return (f"it keeps {kept.mean():.0%} of the units but p = {p} is the probability of "
                "keeping one")
    return None


def forward_check(ctx, cases: Sequence) -> None:
    """The student's forward outputs (and arrays it stores in dict arguments) against the
    reference's on each case: one round trip. Raises CheckFailed naming the first mismatch."""
    plans = [_draw(ctx, i, case, with_gradients=False) for i, case in enumerate(cases)]
    calls = [_forward_call(plan) for plan in plans]
    values = ctx.student.call_many(calls)
    _raise_first_error(values)
    errors, thresholds, failure, handles = {}, {}, None, []
    for plan, call, value in zip(plans, calls, values):
        case = plan.case
        outs, handle = _parse_outputs(plan, value, call)
        handles.append(handle)
        outs += _stored_outputs(plan, call)
        names = _output_names(case) + list(STORED_KEYS.get(case.forward, ()))
        limit = case.threshold if case.kind == "forward" else FORWARD_THRESHOLD
        if "rng" in case.tags and case.forward == "dropout_forward":
            problem = _dropout_structure(plan, outs[0])
            if problem and failure is None:
                failure = CheckFailed(f"{case.forward} on case '{case.name}': {problem}",
                                      errors=errors, thresholds=thresholds)
            continue
        for name, got, want in zip(names, outs, plan.ref_outputs):
            err = rel_error(got, want)
            errors[name] = max(errors.get(name, 0.0), err)
            thresholds[name] = limit
            if err > limit and failure is None:
                code, words = _failure_words(name, got, want, plan, 0, None)
                failure = CheckFailed(
                    f"{case.forward} returned a wrong {name} on case '{case.name}' (relative "
                    f"error {err:.1e}, allowed {limit:.0e}){words}", diagnosis=code,
                    errors=errors, thresholds=thresholds)
    _drop(ctx.student, handles)
    if failure is not None:
        raise failure


def _parse_gradients(plan: _Plan, value) -> list[np.ndarray]:
    case = plan.case
    names = ["d" + name for name, _ in case.wrt]
    if len(names) == 1 and not isinstance(value, (tuple, list)):
        items = (value,)
    else:
        items = expect_tuple(case.backward, value, names)
    return [expect_array(case.backward, n, v, expected=e)
            for n, v, e in zip(names, items, plan.ref_grads)]


def _own_directional(plan: _Plan, grads, perturbed_values) -> list[list[float]]:
    """rel errors, per wrt input and direction, of the backward against the student's forward."""
    errors, i, h = [], 0, step_of(plan.case)
    for g, directions in zip(grads, plan.directions):
        row = []
        for u in directions:
            numeric = 0.0
            for offset_weight, value in zip(stencil(plan.case), perturbed_values[i:]):
                if isinstance(value, StudentError):
                    raise value
                outs, _ = _parse_outputs(plan, value, None)
                numeric += offset_weight[1] * _objective(plan.case, outs, plan.douts)
            i += len(stencil(plan.case))
            row.append(directional_error(numeric / h, np.sum(g * u), np.linalg.norm(g)))
        errors.append(row)
    return errors


def _overlap(ctx, index: int, plan: _Plan):
    """Where windows overlap or indices repeat (tags overlap/repeated): per wrt input, a bool
    array, True where the reference gradient for all-ones upstream exceeds 1."""
    case = plan.case
    if case.kind != "layer" or not case.tags & {"overlap", "repeated"}:
        return [None] * len(case.wrt)
    ones = tuple(np.ones_like(d) for d in plan.douts)
    counts = ctx.expected(f"{index}:overlap", lambda: reference_gradients(
        ctx.reference, case, plan.args, plan.kwargs, ones))
    return [np.asarray(c) > 1.5 for c in counts]


def gradient_check(ctx, cases: Sequence, *, against: str = "own") -> None:
    """Grade the student's gradients on `cases` (see the module docstring); two round trips,
    three when a reference comparison fails (to test consistency with the student's forward)."""
    if against not in ("own", "reference"):
        raise ValueError(f"against must be 'own' or 'reference', got {against!r}")
    plans = [_draw(ctx, i, case, with_gradients=True) for i, case in enumerate(cases)]
    modes = ["own" if against == "own" or "rng" in p.case.tags else "reference" for p in plans]
    calls, spans = [], []
    for plan, mode in zip(plans, modes):
        main = _forward_call(plan)
        extra = _perturbed_calls(plan) if mode == "own" else []
        spans.append((len(calls), main, len(calls) + 1, len(calls) + 1 + len(extra)))
        calls += [main] + extra
    values = ctx.student.call_many(calls)
    _raise_first_error([values[s[0]] for s in spans])
    parsed = [_parse_outputs(plan, values[s[0]], s[1]) for plan, s in zip(plans, spans)]
    layer = [i for i, p in enumerate(plans) if p.case.kind == "layer"]
    back_calls = [Call(plans[i].case.module, plans[i].case.backward,
                       tuple(plans[i].douts) + (parsed[i][1],)) for i in layer]
    back_values = dict(zip(layer, ctx.student.call_many(back_calls))) if back_calls else {}
    _drop(ctx.student, [h for _, h in parsed])
    _raise_first_error(back_values.values())
    errors, thresholds = {}, {}
    failures = []
    for i, (plan, mode) in enumerate(zip(plans, modes)):
        case = plan.case
        grads = (_parse_gradients(plan, back_values[i]) if case.kind == "layer"
                 else [parsed[i][0][1]])
        names = ["d" + name for name, _ in case.wrt]
        limit = max(case.threshold, DIRECTIONAL_FLOOR)
        if mode == "own":
            start, stop = spans[i][2], spans[i][3]
            worst = [max(row) for row in _own_directional(plan, grads, values[start:stop])]
            limits = [limit] * len(names)
        else:
            ref_dd = ctx.expected(f"{i}:directional", lambda: reference_directional(
                ctx.reference, case, plan.args, plan.kwargs, plan.douts, plan.directions))
            scale = float(np.sqrt(sum(np.sum(np.square(g)) for g in plan.ref_grads)))
            directional = max(
                directional_error(ref_dd[j], sum(np.sum(g * per_input[j])
                                                 for g, per_input in zip(grads, plan.directions)),
                                  scale)
                for j in range(len(ref_dd)))
            errors["directional"] = max(errors.get("directional", 0.0), directional)
            thresholds["directional"] = limit
            worst = [rel_error(g, want) for g, want in zip(grads, plan.ref_grads)]
            limits = [case.threshold] * len(names)
            if directional > limit and all(e <= t for e, t in zip(worst, limits)):
                failures.append((i, None, "gradients", directional, limit))
        for name, err, lim, k in zip(names, worst, limits, range(len(names))):
            errors[name] = max(errors.get(name, 0.0), err)
            thresholds[name] = lim
            if err > lim:
                failures.append((i, k, name, err, lim))
    if not failures:
        return
    i, k, name, err, lim = failures[0]
    plan = plans[i]
    code, words = None, ""
    if k is not None:
        got = (_parse_gradients(plan, back_values[i]) if plan.case.kind == "layer"
               else [parsed[i][0][1]])[k]
        code, words = _failure_words(name, got, plan.ref_grads[k], plan, k,
                                     _overlap(ctx, i, plan)[k])
    whose = "your own " + plan.case.forward if modes[i] == "own" else "the expected gradient"
    function = plan.case.backward or plan.case.forward
    partial = 0.0
    if modes[i] == "reference" and _consistent_with_own_forward(ctx, plans, parsed, back_values):
        code, partial = "forward_wrong_backward_consistent", CONSISTENT_PARTIAL
        words = ": " + describe_consistent(function, name)
    raise CheckFailed(f"{function}'s {name} does not match {whose} on case '{plan.case.name}' "
                      f"(relative error {err:.1e}, allowed {lim:.0e}){words}", diagnosis=code,
                      errors=errors, thresholds=thresholds, partial=partial)


def describe_consistent(function: str, name: str) -> str:
    return (f"{name} agrees with your own forward pass, but that forward pass is wrong: fix the "
            f"forward and {function} will likely follow")


def _consistent_with_own_forward(ctx, plans, parsed, back_values) -> bool:
    """True when every failing case's forward differs from the reference while the backward
    matches the student's own forward (one more round trip)."""
    forward_wrong = False
    for plan, (outs, _) in zip(plans, parsed):
        for got, want in zip(outs, plan.ref_outputs):
            if got.shape == np.shape(want) and rel_error(got, want) > FORWARD_THRESHOLD:
                forward_wrong = True
    if not forward_wrong:
        return False
    calls, spans = [], []
    for plan in plans:
        extra = _perturbed_calls(plan)
        spans.append((len(calls), len(calls) + len(extra)))
        calls += extra
    values = ctx.student.call_many(calls)
    _drop(ctx.student, [item for v in values if isinstance(v, tuple) for item in v])
    for index, (plan, (start, stop)) in enumerate(zip(plans, spans)):
        grads = (_parse_gradients(plan, back_values[index]) if plan.case.kind == "layer"
                 else [parsed[index][0][1]])
        try:
            rows = _own_directional(plan, grads, values[start:stop])
        except (CheckFailed, StudentError):
            return False
        if max(max(row) for row in rows) > max(plan.case.threshold, DIRECTIONAL_FLOOR):
            return False
    return True
