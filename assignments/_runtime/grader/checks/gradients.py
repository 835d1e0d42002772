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
    K_DIRECTIONS, Plan, directional_error, draw, drop_handles, forward_call,
    output_names, own_directional, parse_gradients, parse_outputs, perturbed_calls,
    raise_first_error, reference_directional, reversed_input, stored_outputs,
)
from grader.checks.notes import note
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
            candidates = local_confusions(case.family, x, plan.ref_outputs[0], plan.douts[0])
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
        names = output_names(case) + list(case.stores)
        limit = case.threshold if case.kind == "forward" else FORWARD_THRESHOLD
        if "rng" in case.tags and case.family == "inverted_dropout":
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


def _cache_of(plan: Plan, value):
    """The cache a forward returned (a Handle), or None when it made none (it raised, or did
    not return a tuple of outputs and cache)."""
    if isinstance(value, StudentError) or not isinstance(value, (tuple, list)):
        return None
    return value[plan.case.cache_index] if len(value) == plan.case.cache_index + 1 else None


def _forward_right(plan: Plan, outs) -> bool:
    """True when the student's forward outputs are right on the plan's inputs: equal to the
    reference's, or for seeded dropout (whose mask may come from another valid use of the
    seed) of the structure the layer's definition gives."""
    if outs is None:
        return False
    if "rng" in plan.case.tags and plan.case.family == "inverted_dropout":
        return _dropout_structure(plan, outs[0]) is None
    return all(np.shape(got) == np.shape(want) and rel_error(got, want) <= FORWARD_THRESHOLD
               for got, want in zip(outs, plan.ref_outputs))


def _dropout_definition(plan: Plan, outs) -> np.ndarray:
    """Inverted dropout's dx for the mask the student's forward drew: dout * (out != 0) / p."""
    p = float(plan.args[1]["p"])
    return plan.douts[0] * (np.asarray(outs[0]) != 0) / p


def _drew_a_mask(plan: Plan, outs) -> bool:
    """True when a dropout forward's output looks drawn from a random mask: it drops some units
    and keeps others, each kept unit scaled by one common factor, the kept ones are not those
    on one side of a threshold of x or of |x| (as a ReLU-like or magnitude-pruning forward
    keeps them), and their fraction is one a keep probability of p or 1 - p explains (within
    5 binomial sigmas). An identity or an all-zero forward draws none. A random mask of n units
    looks like a threshold with probability about 4 n / 2**n, so small cases (a 3-D case has
    24 units, a few of them kept) are judged as reliably as large ones."""
    x, out = np.asarray(plan.args[0], dtype=np.float64), np.asarray(outs[0], dtype=np.float64)
    if out.shape != x.shape:
        return False
    live = x != 0
    kept, dropped = live & (out != 0), live & (out == 0)
    if not kept.any() or not dropped.any():
        return False
    ratio = out[kept] / x[kept]
    if not np.all(np.abs(ratio - ratio[0]) <= 1e-9 * np.abs(ratio[0])):
        return False
    for value in (x[live], np.abs(x[live])):
        order = kept[live][np.argsort(value, kind="stable")]
        if np.all(order[:-1] <= order[1:]) or np.all(order[:-1] >= order[1:]):
            return False  # the kept units are exactly those above (or below) some threshold
    p, n = float(plan.args[1]["p"]), int(live.sum())
    fraction = kept.sum() / n
    return any(abs(fraction - q) <= 5 * np.sqrt(q * (1 - q) / n) + 1.0 / n for q in (p, 1 - p))


def _outputs_or_none(plan: Plan, value):
    try:
        return parse_outputs(plan, value)[0]
    except (CheckFailed, StudentError):
        return None


def gradient_check(ctx, cases: Sequence, *, against: str = "own") -> None:
    """Grade the student's gradients on `cases` (see the module docstring); two round trips,
    more when a reference comparison fails (to test consistency with the student's forward).

    A backward is judged only on the cases where the student's forward made a cache (a forward
    that raises pays for that in its own task); the passed result notes the cases left out.
    Agreement with the student's own forward counts only where that forward is right (or, for
    the partial credit, where the backward changes with the input as the reference's does)."""
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
    firsts = [values[s[0]] for s in spans]
    # a loss's gradient is its own return: its failure is its own
    raise_first_error([v for p, v in zip(plans, firsts) if p.case.kind != "layer"])
    layer = [i for i, p in enumerate(plans) if p.case.kind == "layer"]
    caches = {i: _cache_of(plans[i], firsts[i]) for i in layer}
    judged = [i for i in layer if caches[i] is not None]
    if layer and not judged:
        raise_first_error([firsts[i] for i in layer])
        parse_outputs(plans[layer[0]], firsts[layer[0]])  # raises, naming the forward
    outs = {i: (parse_outputs(p, firsts[i])[0] if p.case.kind != "layer"
                else _outputs_or_none(p, firsts[i])) for i, p in enumerate(plans)}
    back_calls = [Call(plans[i].case.module, plans[i].case.backward,
                       tuple(plans[i].douts) + (caches[i],)) for i in judged]
    back_values = dict(zip(judged, ctx.student.call_many(back_calls))) if back_calls else {}
    drop_handles(ctx.student, list(caches.values()))
    raise_first_error(back_values.values())
    for i in layer:
        if caches[i] is None:
            plan = plans[i]
            why = firsts[i].message if isinstance(firsts[i], StudentError) else "no cache returned"
            note(f"{plan.case.backward} was judged on the cases where your {plan.case.forward} "
                 f"made a cache; on case '{plan.case.name}' it made none ({why[:200]})")
    active = [i for i, p in enumerate(plans) if p.case.kind != "layer" or i in back_values]
    errors, thresholds = {}, {}
    failures = []
    right = {i: _forward_right(plans[i], outs[i]) for i in active}
    for i in active:
        plan, mode, case = plans[i], modes[i], plans[i].case
        grads = (parse_gradients(plan, back_values[i]) if case.kind == "layer" else [outs[i][1]])
        names = ["d" + name for name, _ in case.wrt]
        limit = max(case.threshold, DIRECTIONAL_FLOOR)
        reason = None
        if mode == "own":
            start, stop = spans[i][2], spans[i][3]
            limits = [limit] * len(names)
            try:
                worst = ([max(row) for row in own_directional(plan, grads, values[start:stop])]
                         if outs[i] is not None else [np.inf] * len(names))
            except (CheckFailed, StudentError):
                worst = [np.inf] * len(names)
            if "rng" in case.tags:
                own, masked = worst, False
                if outs[i] is not None and case.family == "inverted_dropout":
                    # judged against the layer's definition for the mask the forward drew
                    defined = rel_error(grads[0], _dropout_definition(plan, outs[i]))
                    worst = [max(worst[0], defined)]
                    # a forward whose bug is a scale pays for it in its own task: a backward
                    # that routes dout through the mask that forward drew, as the definition or
                    # the student's own forward says, is right (no fake draws a mask)
                    masked = (not right[i] and _drew_a_mask(plan, outs[i])
                              and min(own[0], defined) <= limit)
                if masked:
                    note(f"{plan.case.backward} was judged on the mask your {plan.case.forward} "
                         "drew, although that forward is wrong")
                    worst = [0.0]
                elif not right[i]:
                    reason = "forward_wrong"
                    worst = [np.inf] * len(names)
            else:
                # a backward that equals the reference's is right even when the student's own
                # forward is wrong (the forward's task pays for that, not this one); agreeing
                # with a WRONG forward proves nothing (a pass-through backward agrees with an
                # identity forward): it counts only where the forward is right
                ok = [rel_error(g, want) <= case.threshold for g, want in zip(grads, plan.ref_grads)]
                if not right[i] and not all(ok):
                    consistent = max(worst) <= limit and _depends_on_input(ctx, [plan], [grads])
                    # consistent with a wrong forward, in a way no pass-through can be: fine
                    reason = None if consistent else "forward_wrong"
                    worst = ([0.0] * len(names) if consistent else
                             [0.0 if k else max(err, limit * 10) for k, err in zip(ok, worst)])
                else:
                    worst = [0.0 if k else err for k, err in zip(ok, worst)]
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
                failures.append((i, None, "gradients", directional, limit, None))
        for name, err, lim, k in zip(names, worst, limits, range(len(names))):
            errors[name] = max(errors.get(name, 0.0), err)
            thresholds[name] = lim
            if err > lim:
                failures.append((i, k, name, err, lim, reason))
    if not failures:
        return
    i, k, name, err, lim, reason = failures[0]
    plan = plans[i]
    code, words = None, ""
    if k is not None:
        got = (parse_gradients(plan, back_values[i]) if plan.case.kind == "layer"
               else [outs[i][1]])[k]
        code, words = _failure_words(name, got, plan.ref_grads[k], plan,
                                     plan.overlap[k] if plan.overlap else None)
    whose = "your own " + plan.case.forward if modes[i] == "own" else "the expected gradient"
    function = plan.case.backward or plan.case.forward
    partial = 0.0
    if reason is not None:
        whose = "the expected gradient"
        code = reason
        words = (f": your {plan.case.forward} is wrong on this case and agreeing with it "
                 f"proves nothing here, so {function} is held to the expected gradient")
    elif modes[i] == "reference" and _consistent_with_own_forward(
            ctx, [plans[j] for j in active], [(outs[j], None) for j in active],
            {n: back_values[j] for n, j in enumerate(active) if j in back_values}):
        code, partial = "forward_wrong_backward_consistent", CONSISTENT_PARTIAL
        words = ": " + describe_consistent(function, name)
    shown = "inf" if not np.isfinite(err) else f"{err:.1e}"
    raise CheckFailed(f"{function}'s {name} does not match {whose} on case '{plan.case.name}' "
                      f"(relative error {shown}, allowed {lim:.0e}){words}", diagnosis=code,
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
    """True when every case's forward output could be read, some differ from the reference,
    the backward matches the student's own forward on every case (one more round trip), and
    that agreement proves more than a fake could: the backward changes with the input wherever
    the reference's does, and on at least one case it does (`_depends_on_input`)."""
    forward_wrong = False
    for plan, (outs, _) in zip(plans, parsed):
        if outs is None:
            return False
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
    all_grads = []
    for index, (plan, (start, stop)) in enumerate(zip(plans, spans)):
        grads = (parse_gradients(plan, back_values[index]) if plan.case.kind == "layer"
                 else [parsed[index][0][1]])
        all_grads.append(grads)
        if any(_vacuous(g, want) for g, want in zip(grads, plan.ref_grads)):
            return False  # zeros agree with a flat forward: no credit for that
        try:
            rows = own_directional(plan, grads, values[start:stop])
        except (CheckFailed, StudentError):
            return False
        if max(max(row) for row in rows) > max(plan.case.threshold, DIRECTIONAL_FLOOR):
            return False
    return _depends_on_input(ctx, plans, all_grads)


def _depends_on_input(ctx, plans, all_grads) -> bool:
    """A backward consistent with a forward that is linear in its input (an identity, a
    pass-through of dout) does not change when an input does. For each differentiable input,
    reversed alone: every gradient the reference changes must change in the student's
    backward too, and at least one must. One round trip for the forwards, one for the
    backwards; a backward that agrees only with a linear stand-in earns nothing."""
    calls, moved = [], []
    for index, plan in enumerate(plans):
        for k, (_, pos) in enumerate(plan.case.wrt):
            changes = [rel_error(a, b) > plan.case.threshold
                       for a, b in zip(plan.reversed_grads[k], plan.ref_grads)]
            if any(changes):
                moved.append((index, changes))
                calls.append(forward_call(plan, reversed_input(plan.args, pos)))
    if not moved:
        return False
    values = ctx.student.call_many(calls)
    layer = [n for n, (index, _) in enumerate(moved) if plans[index].case.kind == "layer"]
    caches = {n: _cache_of(plans[moved[n][0]], values[n]) for n in layer}
    if any(c is None for c in caches.values()):
        drop_handles(ctx.student, list(caches.values()))
        return False
    backs = dict(zip(layer, ctx.student.call_many([
        Call(plans[moved[n][0]].case.module, plans[moved[n][0]].case.backward,
             tuple(plans[moved[n][0]].douts) + (caches[n],)) for n in layer])))
    drop_handles(ctx.student, list(caches.values()))
    for n, (index, changes) in enumerate(moved):
        plan = plans[index]
        try:
            if plan.case.kind == "layer":
                if isinstance(backs[n], StudentError):
                    return False
                grads = parse_gradients(plan, backs[n])
            else:
                grads = [parse_outputs(plan, values[n])[0][1]]
        except (CheckFailed, StudentError):
            return False
        if any(should and rel_error(a, b) <= plan.case.threshold
               for should, a, b in zip(changes, grads, all_grads[index])):
            return False
    return True
