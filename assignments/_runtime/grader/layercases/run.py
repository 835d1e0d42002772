"""Running a layer case: upstream gradients, numerical gradients, the in-process reference check.

The pieces are separate so a check can drive a student's functions through a runner (forward
and backward in the child, caches kept there) and still compute the numerical side here
(a layer case; a loss case returns (loss, dx) from the forward and has no backward):

    args, kwargs = case.make_inputs(rng)
    res = student.call(case.module, case.forward, *args, keep=(case.cache_index,), **kwargs)
    douts = upstream_gradients(case, res[:case.outputs], rng)
    grads = student.call(case.module, case.backward, *douts, res[case.cache_index])
    numeric = numerical_gradients(case, getattr(reference, case.forward), args, kwargs, douts)

`reference_gradcheck` is exactly that, with the module called in-process.
"""

from __future__ import annotations

import copy
from types import ModuleType
from typing import Any, Callable, Sequence

import numpy as np

from grader.gradcheck import eval_numerical_gradient_array, rel_error

from .case import LayerCase


def upstream_gradients(case: LayerCase, outputs: Sequence[np.ndarray], rng) -> tuple:
    """Random N(0, 1) upstream gradients, one per forward output, float64 of the outputs' shapes.
    Loss cases need none (the loss is the scalar being differentiated): returns ()."""
    if case.kind != "layer":
        return ()
    return tuple(rng.standard_normal(np.shape(o)) for o in outputs)


def _call(forward: Callable, args: tuple, kwargs: dict, pos: int, value: np.ndarray):
    """forward with args[pos] replaced by value; every other argument deep-copied, so a forward
    that mutates a dict (bn_param's running stats) or an array cannot drift between calls."""
    a = list(copy.deepcopy(args))
    a[pos] = value
    return forward(*a, **copy.deepcopy(kwargs))


def numerical_gradients(case: LayerCase, forward: Callable, args: tuple, kwargs: dict,
                        douts: Sequence[np.ndarray] = ()) -> tuple[dict[str, np.ndarray], int]:
    """Centred-difference gradients of `forward` for each input in case.wrt.

    For kind "layer": the gradient of sum_k sum(outputs[k] * douts[k]) (all outputs before the
    cache, flattened into one vector so each perturbation costs one forward call).
    For kind "loss": the gradient of the returned loss. Steps and order from case.h, case.order.

    Returns ({"d<name>": float64 array of args[pos]'s shape}, forward calls spent).
    """
    if case.kind == "forward":
        raise ValueError(f"{case.id} is a value-only case: it has no gradient to check")
    grads, calls = {}, 0
    for name, pos in case.wrt:
        x = args[pos]
        if case.kind == "loss":
            def f(v, p=pos):
                return np.atleast_1d(np.asarray(_call(forward, args, kwargs, p, v)[0], dtype=float))
            df = np.ones(1)
        else:
            def f(v, p=pos):
                outs = _call(forward, args, kwargs, p, v)[:case.outputs]
                return np.concatenate([np.ravel(o) for o in outs])
            df = np.concatenate([np.ravel(d) for d in douts])
        grad = eval_numerical_gradient_array(f, x, df, h=case.h)
        if case.order == 4:  # Richardson: cancel the h**2 term of the centred difference
            grad = (4 * grad - eval_numerical_gradient_array(f, x, df, h=2 * case.h)) / 3
        grads["d" + name] = grad
        calls += (case.order // 2) * 2 * np.size(x)
    return grads, calls


def as_gradients(case: LayerCase, returned: Any) -> dict[str, Any]:
    """Name the gradients a backward returned (a lone array counts as a 1-tuple)."""
    values = returned if isinstance(returned, tuple) else (returned,)
    if len(values) != len(case.wrt):
        raise ValueError(f"{case.backward} returned {len(values)} values, expected "
                         f"{len(case.wrt)} ({', '.join('d' + n for n, _ in case.wrt)})")
    return {"d" + name: g for (name, _), g in zip(case.wrt, values)}


def reference_gradcheck(case: LayerCase, module: ModuleType, *, seed: int) -> dict:
    """Run one case fully in-process against `module` (a reference or trusted module).

    Returns a dict: case (id), seed, errors ({"dx": rel error, ...}), max_rel_error, threshold,
    passed (max_rel_error <= threshold), forward_calls (the analytic pass counts one).
    """
    if case.kind == "forward":
        raise ValueError(f"{case.id} is a value-only case: it has no gradient to check")
    rng = np.random.default_rng(seed)
    args, kwargs = case.make_inputs(rng)
    forward = getattr(module, case.forward)
    result = forward(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    douts = upstream_gradients(case, result[:case.outputs], rng)
    if case.kind == "layer":
        backward = getattr(module, case.backward)
        analytic = as_gradients(case, backward(*douts, result[case.cache_index]))
    else:
        analytic = as_gradients(case, result[1])
    numeric, calls = numerical_gradients(case, forward, args, kwargs, douts)
    errors = {k: rel_error(analytic[k], numeric[k]) for k in numeric}
    worst = max(errors.values())
    return {"case": case.id, "seed": seed, "errors": errors, "max_rel_error": worst,
            "threshold": case.threshold, "passed": worst <= case.threshold,
            "forward_calls": calls + 1}

