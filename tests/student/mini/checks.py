"""Public checks of the mini assignment (a release folder's checks.py, for the student tests)."""

import numpy as np

from grader.checks import CheckFailed, check
from grader.checks.diagnose import diagnose
from grader.checks.validate import expect_array, expect_tuple

THRESHOLD = 1e-7


def _rel_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def _reference_forward(x, w, b):
    return x.reshape(x.shape[0], -1) @ w + b


@check("mini/affine_forward", points=1, message="affine_forward matches the reference")
def affine_forward_values(ctx):
    x, w, b = ctx.rng.standard_normal((4, 3)), ctx.rng.standard_normal((3, 5)), ctx.rng.standard_normal(5)
    want = ctx.expected("out", lambda: _reference_forward(x, w, b))
    out, _ = expect_tuple("affine_forward", ctx.student.call("layers", "affine_forward", x, w, b,
                                                             keep=(1,)), ("out", "cache"))
    out = expect_array("affine_forward", "out", out, want.shape, want)
    err = _rel_error(out, want)
    if not err <= THRESHOLD:
        found = diagnose("out", out, want, batch_size=4)
        raise CheckFailed("affine_forward's out differs from the reference",
                          diagnosis=found.code if found else None,
                          errors={"out": err}, thresholds={"out": THRESHOLD})


@check("mini/affine_backward", points=2, message="affine_backward's dx, dw, db match the reference")
def affine_backward_values(ctx):
    x, w, b = ctx.rng.standard_normal((4, 3)), ctx.rng.standard_normal((3, 5)), ctx.rng.standard_normal(5)
    dout = ctx.rng.standard_normal((4, 5))
    want = (ctx.expected("dx", lambda: dout @ w.T), ctx.expected("dw", lambda: x.T @ dout),
            ctx.expected("db", lambda: dout.sum(axis=0)))
    _, cache = ctx.student.call("layers", "affine_forward", x, w, b, keep=(1,))
    got = expect_tuple("affine_backward", ctx.student.call("layers", "affine_backward", dout, cache),
                       ("dx", "dw", "db"))
    errors, worst = {}, None
    for name, value, expected in zip(("dx", "dw", "db"), got, want):
        value = expect_array("affine_backward", name, value, expected.shape, expected)
        errors[name] = _rel_error(value, expected)
        if not errors[name] <= THRESHOLD and worst is None:
            worst = (name, diagnose(name, value, expected, batch_size=4))
    if worst is not None:
        name, found = worst
        raise CheckFailed(f"affine_backward's {name} differs from the reference",
                          diagnosis=found.code if found else None, errors=errors,
                          thresholds={k: THRESHOLD for k in errors})
