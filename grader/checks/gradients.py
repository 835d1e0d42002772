"""Gradient and forward-value checks of layer cases, driven through the student's runner.

A case (grader.layercases.LayerCase) names a forward/backward pair and draws its own inputs.
Two round trips grade any number of cases: (1) the student's forward on the inputs (cache kept
in the child) plus, for the own-forward check, the forward at x + offset * h * u for k random
unit directions u per input; (2) the student's backward with the kept caches. Every number is
then computed here. The calls and the reference side live in layer_calls.py.

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

from typing import Sequence

import numpy as np

from grader.checks.diagnose import diagnose, local_confusions
from grader.checks.layer_calls import (  # noqa: F401  (K_DIRECTIONS re-exported)
    K_DIRECTIONS, STORED_KEYS, Plan, directional_error, draw, drop_handles, forward_call,
    output_names, own_directional, parse_gradients, parse_outputs, perturbed_calls,
    raise_first_error, reference_directional, stored_outputs,
)
from grader.checks.spec import CheckFailed
from grader.gradcheck import rel_error
from grader.runner.protocol import Call, StudentError

#: Forward outputs of "layer" and "loss" cases are compared at this relative error: two correct
#: float64 formulas differ by rounding only (~1e-13 relative; the 1e-8 floor of rel_error bounds
#: elements near zero), while every forward bug we know gives > 1e-3.
FORWARD_THRESHOLD = 1e-7
#: Directional derivatives are single numbers: rounding of f(x +/- h u) costs eps * |f| / h, so
#: the bar is the case's threshold but never below this floor.
DIRECTIONAL_FLOOR = 1e-6
#: Fraction of the points for a backward consistent with the student's own (wrong) forward.
CONSISTENT_PARTIAL = 0.5


def _failure_words(name: str, got: np.ndarray, want: np.ndarray, plan: Plan,
                   overlap=None) -> tuple[str | None, str]:
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


def _dropout_structure(plan: Plan, out: np.ndarray) -> str | None:
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
    plans = [draw(ctx, i, case, with_gradients=False) for i, case in enumerate(cases)]
    calls = [forward_call(plan) for plan in plans]
    values = ctx.student.call_many(calls)
    raise_first_error(values)
    errors, thresholds, failure, handles = {}, {}, None, []
    for plan, call, value in zip(plans, calls, values):
        case = plan.case
        outs, handle = parse_outputs(plan, value)
        handles.append(handle)
        outs += stored_outputs(plan, call)
        names = output_names(case) + list(STORED_KEYS.get(case.forward, ()))
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
                code, words = _failure_words(name, got, want, plan)
                failure = CheckFailed(
                    f"{case.forward} returned a wrong {name} on case '{case.name}' (relative "
                    f"error {err:.1e}, allowed {limit:.0e}){words}", diagnosis=code,
                    errors=errors, thresholds=thresholds)
    drop_handles(ctx.student, handles)
    if failure is not None:
        raise failure


def gradient_check(ctx, cases: Sequence, *, against: str = "own") -> None:
    """Grade the student's gradients on `cases` (see the module docstring); two round trips,
    three when a reference comparison fails (to test consistency with the student's forward)."""
    if against not in ("own", "reference"):
        raise ValueError(f"against must be 'own' or 'reference', got {against!r}")
    plans = [draw(ctx, i, case, with_gradients=True) for i, case in enumerate(cases)]
    modes = ["own" if against == "own" or "rng" in p.case.tags else "reference" for p in plans]
    calls, spans = [], []
    for plan, mode in zip(plans, modes):
        main = forward_call(plan)
        extra = perturbed_calls(plan) if mode == "own" else []
        spans.append((len(calls), main, len(calls) + 1, len(calls) + 1 + len(extra)))
        calls += [main] + extra
    values = ctx.student.call_many(calls)
    raise_first_error([values[s[0]] for s in spans])
    parsed = [parse_outputs(plan, values[s[0]]) for plan, s in zip(plans, spans)]
    layer = [i for i, p in enumerate(plans) if p.case.kind == "layer"]
    back_calls = [Call(plans[i].case.module, plans[i].case.backward,
                       tuple(plans[i].douts) + (parsed[i][1],)) for i in layer]
    back_values = dict(zip(layer, ctx.student.call_many(back_calls))) if back_calls else {}
    drop_handles(ctx.student, [h for _, h in parsed])
    raise_first_error(back_values.values())
    errors, thresholds = {}, {}
    failures = []
    for i, (plan, mode) in enumerate(zip(plans, modes)):
        case = plan.case
        grads = (parse_gradients(plan, back_values[i]) if case.kind == "layer"
                 else [parsed[i][0][1]])
        names = ["d" + name for name, _ in case.wrt]
        limit = max(case.threshold, DIRECTIONAL_FLOOR)
        if mode == "own":
            start, stop = spans[i][2], spans[i][3]
            worst = [max(row) for row in own_directional(plan, grads, values[start:stop])]
            limits = [limit] * len(names)
            if "rng" not in case.tags:
                # a backward that equals the reference's is right even when the student's own
                # forward is wrong (the forward's task pays for that, not this one)
                worst = [0.0 if rel_error(g, want) <= case.threshold else err
                         for g, want, err in zip(grads, plan.ref_grads, worst)]
            # an all-zero gradient is "consistent" with a forward that ignores its input: that
            # agreement proves nothing, so it earns nothing (a do-nothing submission scores 0)
            worst = [np.inf if _vacuous(g, want) else err
                     for g, want, err in zip(grads, plan.ref_grads or grads, worst)]
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
        got = (parse_gradients(plan, back_values[i]) if plan.case.kind == "layer"
               else [parsed[i][0][1]])[k]
        code, words = _failure_words(name, got, plan.ref_grads[k], plan,
                                     plan.overlap[k] if plan.overlap else None)
    whose = "your own " + plan.case.forward if modes[i] == "own" else "the expected gradient"
    function = plan.case.backward or plan.case.forward
    partial = 0.0
    if modes[i] == "reference" and _consistent_with_own_forward(ctx, plans, parsed, back_values):
        code, partial = "forward_wrong_backward_consistent", CONSISTENT_PARTIAL
        words = ": " + describe_consistent(function, name)
    raise CheckFailed(f"{function}'s {name} does not match {whose} on case '{plan.case.name}' "
                      f"(relative error {err:.1e}, allowed {lim:.0e}){words}", diagnosis=code,
                      errors=errors, thresholds=thresholds, partial=partial)


def _vacuous(got, want) -> bool:
    """True when the student's gradient is all zeros where the expected one is not: agreement
    of such a gradient with the student's own forward says nothing about backprop."""
    got = np.asarray(got)
    return got.size > 0 and not np.any(got) and bool(np.any(np.asarray(want)))


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
        extra = perturbed_calls(plan)
        spans.append((len(calls), len(calls) + len(extra)))
        calls += extra
    values = ctx.student.call_many(calls)
    drop_handles(ctx.student, [item for v in values if isinstance(v, tuple) for item in v])
    for index, (plan, (start, stop)) in enumerate(zip(plans, spans)):
        grads = (parse_gradients(plan, back_values[index]) if plan.case.kind == "layer"
                 else [parsed[index][0][1]])
        if any(_vacuous(g, want) for g, want in zip(grads, plan.ref_grads)):
            return False  # zeros agree with a flat forward: no credit for that
        try:
            rows = own_directional(plan, grads, values[start:stop])
        except (CheckFailed, StudentError):
            return False
        if max(max(row) for row in rows) > max(plan.case.threshold, DIRECTIONAL_FLOOR):
            return False
    return True
