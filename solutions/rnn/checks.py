"""Checks of the rnn assignment that the layer cases do not derive.

Every task of one function with layer cases (cases.py) gets its standard checks without a
declaration here (grader.checks.derived): visible forward values and own-gradient checks on the
standard configuration with a public seed; hidden per-student forward, reference-gradient and
hard-configuration checks (batch of 1, long sequences, repeated indices, masked timesteps).
assignment.toml's `hard_check` and `check_points` shape them per task.

What is declared here is special: clip_grad_norm (no layer case) and scores around +-1000. The
points of a task's checks here, its behavioural checks (behaviour_checks.py) and its derived
checks add up to the task's points in assignment.toml (tests/checks/test_points.py).
"""

from grader.checks import check
from .scenarios import clip_grad_norm_check


@check("rnn/clip_grad_norm", points=1, visibility="visible",
       message="clip_grad_norm scales gradients above max_norm to that norm and leaves smaller ones unchanged")
def clip_grad_norm_values(ctx):
    clip_grad_norm_check(ctx)


@check("rnn/clip_grad_norm", points=0.5, visibility="hidden",
       message="clip_grad_norm is right on fresh gradients")
def clip_grad_norm_values_hidden(ctx):
    clip_grad_norm_check(ctx)


# Added by mutation testing (docs/MUTANTS.md): without it a shift by +max (or by the global
# maximum) instead of each row's maximum survives: right on ordinary scores, inf/nan at +-1000.
@check("rnn/temporal_softmax_loss", points=0.25, visibility="hidden",
       message="temporal_softmax_loss is finite and right for scores around +-1000 (shift by each row's maximum)")
def temporal_softmax_loss_large_scores_hidden(ctx):
    import numpy as np

    from grader.checks import CheckFailed
    from grader.checks.validate import expect_array, expect_scalar, expect_tuple
    from grader.gradcheck import rel_error

    n, t, v = 3, 4, 6
    x = 5.0 * ctx.rng.standard_normal((n, t, v)) + ctx.rng.choice([-1.0, 1.0], (n, t, 1)) * 1000.0
    y = ctx.rng.integers(0, v, size=(n, t))
    mask = ctx.rng.random((n, t)) < 0.7
    mask[:, 0] = True
    want = ctx.expected("large", lambda: tuple(np.asarray(value, dtype=np.float64) for value in
                                               ctx.reference["rnn_layers"].temporal_softmax_loss(
                                                   x.copy(), y.copy(), mask.copy())))
    function = "temporal_softmax_loss"
    loss, dx = expect_tuple(function, ctx.student.call("rnn_layers", function, x, y, mask),
                            ["loss", "dx"])
    got = [np.asarray(expect_scalar(function, "loss", loss)),
           expect_array(function, "dx", dx, expected=want[1])]
    errors = {name: rel_error(g, w) for name, g, w in zip(["loss", "dx"], got, want)}
    thresholds = {name: 1e-8 for name in errors}
    for name, error in errors.items():
        if not error <= thresholds[name]:
            raise CheckFailed(f"{function} returned a wrong {name} for scores around +-1000 "
                              f"(relative error {error:.1e}): shift each row by its own maximum "
                              "before exp", errors=errors, thresholds=thresholds)
