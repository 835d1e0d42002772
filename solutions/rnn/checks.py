"""Checks of the rnn assignment: values, gradients and hard configurations of every task.

Visible checks (shipped to students) use the standard configuration of each layer from
cases.py with a public seed: forward values against the reference's (recorded in the
release) and the backward against numerical gradients of the student's OWN forward. Hidden
checks draw per-student inputs (HMAC seed) and compare with the reference on the standard and
the hard configurations (stride, padding, non-square, overlapping windows, repeated indices,
batch of 1, masked timesteps, test mode, running statistics).

The points of a task's checks here plus its behavioural checks (behaviour_checks.py) add up to
the task's points in assignment.toml (tests/checks/test_points.py).
"""

from grader.checks import check
from grader.checks.catalogue import forward_cases, gradient_cases, hard, standard
from grader.checks.gradients import forward_check, gradient_check
from .scenarios import clip_grad_norm_check

A = "rnn"


@check("rnn/rnn_step_forward", points=0.5, visibility="visible",
       message="rnn_step_forward matches the reference output on the standard inputs")
def rnn_step_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "rnn_step_forward")))


@check("rnn/rnn_step_forward", points=0.5, visibility="hidden",
       message="rnn_step_forward matches the reference output on fresh and hard inputs")
def rnn_step_forward_values_hidden(ctx):
    forward_check(ctx, forward_cases(A, "rnn_step_forward"))


@check("rnn/rnn_step_backward", points=0.5, visibility="visible",
       message="rnn_step_backward agrees with numerical gradients of your own rnn_step_forward on the standard shapes")
def rnn_step_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "rnn_step_backward")), against="own")


@check("rnn/rnn_step_backward", points=0.5, visibility="hidden",
       message="rnn_step_backward matches numerical gradients of the reference rnn_step_forward on fresh standard inputs")
def rnn_step_backward_gradient_hidden(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "rnn_step_backward")), against="reference")


@check("rnn/rnn_step_backward", points=1, visibility="hidden",
       message="rnn_step_backward matches numerical gradients of the reference rnn_step_forward on hard configurations (batch1)")
def rnn_step_backward_hard_gradient_hidden(ctx):
    gradient_check(ctx, hard(gradient_cases(A, "rnn_step_backward")), against="reference")


@check("rnn/rnn_forward", points=1, visibility="visible",
       message="rnn_forward matches the reference output on the standard inputs")
def rnn_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "rnn_forward")))


@check("rnn/rnn_forward", points=1, visibility="hidden",
       message="rnn_forward matches the reference output on fresh and hard inputs")
def rnn_forward_values_hidden(ctx):
    forward_check(ctx, forward_cases(A, "rnn_forward"))


@check("rnn/rnn_backward", points=1, visibility="visible",
       message="rnn_backward agrees with numerical gradients of your own rnn_forward on the standard shapes")
def rnn_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "rnn_backward")), against="own")


@check("rnn/rnn_backward", points=1, visibility="hidden",
       message="rnn_backward matches numerical gradients of the reference rnn_forward on fresh standard inputs")
def rnn_backward_gradient_hidden(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "rnn_backward")), against="reference")


@check("rnn/rnn_backward", points=0.5, visibility="hidden",
       message="rnn_backward matches numerical gradients of the reference rnn_forward on hard configurations (batch1, long)")
def rnn_backward_hard_gradient_hidden(ctx):
    gradient_check(ctx, hard(gradient_cases(A, "rnn_backward")), against="reference")


@check("rnn/lstm_step_forward", points=1, visibility="visible",
       message="lstm_step_forward matches the reference output on the standard inputs")
def lstm_step_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "lstm_step_forward")))


@check("rnn/lstm_step_forward", points=1, visibility="hidden",
       message="lstm_step_forward matches the reference output on fresh and hard inputs")
def lstm_step_forward_values_hidden(ctx):
    forward_check(ctx, forward_cases(A, "lstm_step_forward"))


@check("rnn/lstm_step_backward", points=1, visibility="visible",
       message="lstm_step_backward agrees with numerical gradients of your own lstm_step_forward on the standard shapes")
def lstm_step_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "lstm_step_backward")), against="own")


@check("rnn/lstm_step_backward", points=1, visibility="hidden",
       message="lstm_step_backward matches numerical gradients of the reference lstm_step_forward on fresh standard inputs")
def lstm_step_backward_gradient_hidden(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "lstm_step_backward")), against="reference")


@check("rnn/lstm_step_backward", points=1, visibility="hidden",
       message="lstm_step_backward matches numerical gradients of the reference lstm_step_forward on hard configurations (batch1)")
def lstm_step_backward_hard_gradient_hidden(ctx):
    gradient_check(ctx, hard(gradient_cases(A, "lstm_step_backward")), against="reference")


@check("rnn/lstm_forward", points=1, visibility="visible",
       message="lstm_forward matches the reference output on the standard inputs")
def lstm_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "lstm_forward")))


@check("rnn/lstm_forward", points=1, visibility="hidden",
       message="lstm_forward matches the reference output on fresh and hard inputs")
def lstm_forward_values_hidden(ctx):
    forward_check(ctx, forward_cases(A, "lstm_forward"))


@check("rnn/lstm_backward", points=1, visibility="visible",
       message="lstm_backward agrees with numerical gradients of your own lstm_forward on the standard shapes")
def lstm_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "lstm_backward")), against="own")


@check("rnn/lstm_backward", points=1, visibility="hidden",
       message="lstm_backward matches numerical gradients of the reference lstm_forward on fresh standard inputs")
def lstm_backward_gradient_hidden(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "lstm_backward")), against="reference")


@check("rnn/lstm_backward", points=0.5, visibility="hidden",
       message="lstm_backward matches numerical gradients of the reference lstm_forward on hard configurations (batch1, long)")
def lstm_backward_hard_gradient_hidden(ctx):
    gradient_check(ctx, hard(gradient_cases(A, "lstm_backward")), against="reference")


@check("rnn/word_embedding_forward", points=0.5, visibility="visible",
       message="word_embedding_forward matches the reference output on the standard inputs")
def word_embedding_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "word_embedding_forward")))


@check("rnn/word_embedding_forward", points=0.5, visibility="hidden",
       message="word_embedding_forward matches the reference output on fresh and hard inputs")
def word_embedding_forward_values_hidden(ctx):
    forward_check(ctx, forward_cases(A, "word_embedding_forward"))


@check("rnn/word_embedding_backward", points=0.5, visibility="visible",
       message="word_embedding_backward agrees with numerical gradients of your own word_embedding_forward on the standard shapes")
def word_embedding_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "word_embedding_backward")), against="own")


@check("rnn/word_embedding_backward", points=0.5, visibility="hidden",
       message="word_embedding_backward matches numerical gradients of the reference word_embedding_forward on fresh standard inputs")
def word_embedding_backward_gradient_hidden(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "word_embedding_backward")), against="reference")


@check("rnn/word_embedding_backward", points=1, visibility="hidden",
       message="word_embedding_backward matches numerical gradients of the reference word_embedding_forward on hard configurations (batch1, repeated)")
def word_embedding_backward_hard_gradient_hidden(ctx):
    gradient_check(ctx, hard(gradient_cases(A, "word_embedding_backward")), against="reference")


@check("rnn/temporal_affine_forward", points=0.5, visibility="visible",
       message="temporal_affine_forward matches the reference output on the standard inputs")
def temporal_affine_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "temporal_affine_forward")))


@check("rnn/temporal_affine_forward", points=0.5, visibility="hidden",
       message="temporal_affine_forward matches the reference output on fresh and hard inputs")
def temporal_affine_forward_values_hidden(ctx):
    forward_check(ctx, forward_cases(A, "temporal_affine_forward"))


@check("rnn/temporal_affine_backward", points=0.5, visibility="visible",
       message="temporal_affine_backward agrees with numerical gradients of your own temporal_affine_forward on the standard shapes")
def temporal_affine_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "temporal_affine_backward")), against="own")


@check("rnn/temporal_affine_backward", points=0.5, visibility="hidden",
       message="temporal_affine_backward matches numerical gradients of the reference temporal_affine_forward on fresh and hard inputs")
def temporal_affine_backward_gradient_hidden(ctx):
    gradient_check(ctx, gradient_cases(A, "temporal_affine_backward"), against="reference")


@check("rnn/temporal_softmax_loss", points=0.5, visibility="visible",
       message="temporal_softmax_loss returns the reference loss and dx on the standard inputs")
def temporal_softmax_loss_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "temporal_softmax_loss")))


@check("rnn/temporal_softmax_loss", points=0.5, visibility="visible",
       message="temporal_softmax_loss's dx matches numerical gradients of your own loss")
def temporal_softmax_loss_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "temporal_softmax_loss")), against="own")


@check("rnn/temporal_softmax_loss", points=0.5, visibility="hidden",
       message="temporal_softmax_loss returns the right loss and dx on fresh and hard inputs")
def temporal_softmax_loss_values_hidden(ctx):
    forward_check(ctx, forward_cases(A, "temporal_softmax_loss"))


@check("rnn/temporal_softmax_loss", points=0.5, visibility="hidden",
       message="temporal_softmax_loss's dx matches numerical gradients of the reference loss on fresh and hard inputs")
def temporal_softmax_loss_gradient_hidden(ctx):
    gradient_check(ctx, gradient_cases(A, "temporal_softmax_loss"), against="reference")


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
