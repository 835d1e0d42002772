"""Checks of the toy assignment: one visible and one hidden per task."""

import numpy as np

from grader.checks import CheckFailed, check
from grader.checks.validate import expect_array


def _compare(ctx, module, function):
    x = ctx.rng.standard_normal((3, 4))
    want = ctx.expected("out", lambda: getattr(ctx.reference[module], function)(x.copy()))
    got = expect_array(function, "out", ctx.student.call(module, function, x), expected=want)
    if not np.allclose(got, want):
        raise CheckFailed(f"{function} returned wrong values", errors={"out": 1.0})


@check("toy/double", points=1, visibility="visible", message="double doubles")
def double_visible(ctx):
    _compare(ctx, "ops", "double")


@check("toy/double", points=1, visibility="hidden", message="double doubles fresh inputs")
def double_hidden(ctx):
    _compare(ctx, "ops", "double")


@check("toy/negate", points=0.5, visibility="visible", message="negate negates")
def negate_visible(ctx):
    _compare(ctx, "more", "negate")


@check("toy/negate", points=0.5, visibility="after_due_date", message="negate negates later")
def negate_after_due(ctx):
    _compare(ctx, "more", "negate")
