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


@check("rnn/rnn_step_backward", points=0.5, visibility="visible",
       message="rnn_step_backward agrees with numerical gradients of your own rnn_step_forward on the standard shapes")
def rnn_step_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "rnn_step_backward")), against="own")


@check("rnn/rnn_forward", points=1, visibility="visible",
       message="rnn_forward matches the reference output on the standard inputs")
def rnn_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "rnn_forward")))


@check("rnn/rnn_backward", points=1, visibility="visible",
       message="rnn_backward agrees with numerical gradients of your own rnn_forward on the standard shapes")
def rnn_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "rnn_backward")), against="own")


@check("rnn/lstm_step_forward", points=1, visibility="visible",
       message="lstm_step_forward matches the reference output on the standard inputs")
def lstm_step_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "lstm_step_forward")))


@check("rnn/lstm_step_backward", points=1, visibility="visible",
       message="lstm_step_backward agrees with numerical gradients of your own lstm_step_forward on the standard shapes")
def lstm_step_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "lstm_step_backward")), against="own")


@check("rnn/lstm_forward", points=1, visibility="visible",
       message="lstm_forward matches the reference output on the standard inputs")
def lstm_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "lstm_forward")))


@check("rnn/lstm_backward", points=1, visibility="visible",
       message="lstm_backward agrees with numerical gradients of your own lstm_forward on the standard shapes")
def lstm_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "lstm_backward")), against="own")


@check("rnn/word_embedding_forward", points=0.5, visibility="visible",
       message="word_embedding_forward matches the reference output on the standard inputs")
def word_embedding_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "word_embedding_forward")))


@check("rnn/word_embedding_backward", points=0.5, visibility="visible",
       message="word_embedding_backward agrees with numerical gradients of your own word_embedding_forward on the standard shapes")
def word_embedding_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "word_embedding_backward")), against="own")


@check("rnn/temporal_affine_forward", points=0.5, visibility="visible",
       message="temporal_affine_forward matches the reference output on the standard inputs")
def temporal_affine_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "temporal_affine_forward")))


@check("rnn/temporal_affine_backward", points=0.5, visibility="visible",
       message="temporal_affine_backward agrees with numerical gradients of your own temporal_affine_forward on the standard shapes")
def temporal_affine_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "temporal_affine_backward")), against="own")


@check("rnn/temporal_softmax_loss", points=0.5, visibility="visible",
       message="temporal_softmax_loss returns the reference loss and dx on the standard inputs")
def temporal_softmax_loss_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "temporal_softmax_loss")))


@check("rnn/temporal_softmax_loss", points=0.5, visibility="visible",
       message="temporal_softmax_loss's dx matches numerical gradients of your own loss")
def temporal_softmax_loss_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "temporal_softmax_loss")), against="own")


@check("rnn/clip_grad_norm", points=1, visibility="visible",
       message="clip_grad_norm scales gradients above max_norm to that norm and leaves smaller ones unchanged")
def clip_grad_norm_values(ctx):
    clip_grad_norm_check(ctx)


