"""Checks of the backprop assignment that the layer cases do not derive.

Every task of one function with layer cases (cases.py) gets its standard checks without a
declaration here (grader.checks.derived): visible forward values and own-gradient checks on the
standard configuration with a public seed; hidden per-student forward, reference-gradient and
hard-configuration checks (stride, padding, non-square, overlapping windows, repeated indices,
batch of 1, test mode). assignment.toml's `hard_check` and `check_points` shape them per task.

What is declared here is special: extreme inputs, running statistics, and the derived checks
whose message differs (a declaration with a derived check's id replaces it). The points of a
task's checks here, its behavioural checks (behaviour_checks.py) and its derived checks add up
to the task's points in assignment.toml (tests/checks/test_points.py).
"""

from grader.checks import check
from grader.checks.catalogue import forward_cases, gradient_cases, hard
from grader.checks.gradients import forward_check, gradient_check
from .scenarios import extreme_inputs_check, running_statistics_check

A = "backprop"


@check("backprop/prelu_backward", points=0.5, visibility="hidden",
       message="prelu_backward matches numerical gradients of the reference prelu_forward on hard configurations (batch1)")
def prelu_backward_hard_gradient_hidden(ctx):
    gradient_check(ctx, hard(gradient_cases(A, "prelu_backward")), against="reference")


@check("backprop/tanh_forward", points=0.25, visibility="hidden",
       message="tanh_forward is finite and right at |x| up to 1e4 (no overflow in exp)")
def tanh_forward_extreme_inputs_hidden(ctx):
    extreme_inputs_check(ctx, "tanh_forward")


@check("backprop/batchnorm_forward", points=0.75, visibility="hidden",
       message="batchnorm_forward matches the reference in train and test mode on fresh and hard inputs")
def batchnorm_forward_values_hidden(ctx):
    forward_check(ctx, forward_cases(A, "batchnorm_forward"))


@check("backprop/batchnorm_forward", points=0.25, visibility="hidden",
       message="batchnorm_forward keeps the right running mean and variance over several train steps and uses them in test mode")
def batchnorm_forward_running_statistics_hidden(ctx):
    running_statistics_check(ctx)


@check("backprop/softmax_loss", points=0.25, visibility="hidden",
       message="softmax_loss is finite and right for scores around +-1000 (shift by the row maximum)")
def softmax_loss_large_scores_hidden(ctx):
    extreme_inputs_check(ctx, "softmax_loss")


@check("backprop/conv_backward_naive", points=1, visibility="hidden",
       message="conv_backward_naive matches numerical gradients of the reference conv_forward_naive on hard configurations (batch1, non_square, pad, stride)")
def conv_backward_naive_hard_gradient_hidden(ctx):
    gradient_check(ctx, hard(gradient_cases(A, "conv_backward_naive")), against="reference")


@check("backprop/max_pool_backward_naive", points=1, visibility="hidden",
       message="max_pool_backward_naive matches numerical gradients of the reference max_pool_forward_naive on hard configurations (batch1, non_square, overlap, stride)")
def max_pool_backward_naive_hard_gradient_hidden(ctx):
    gradient_check(ctx, hard(gradient_cases(A, "max_pool_backward_naive")), against="reference")
