"""Checks of the backprop assignment: values, gradients and hard configurations of every task.

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
from .scenarios import extreme_inputs_check, running_statistics_check

A = "backprop"


@check("backprop/affine_forward", points=0.5, visibility="visible",
       message="affine_forward matches the reference output on the standard inputs")
def affine_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "affine_forward")))


@check("backprop/affine_backward", points=0.5, visibility="visible",
       message="affine_backward agrees with numerical gradients of your own affine_forward on the standard shapes")
def affine_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "affine_backward")), against="own")


@check("backprop/relu_forward", points=0.5, visibility="visible",
       message="relu_forward matches the reference output on the standard inputs")
def relu_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "relu_forward")))


@check("backprop/relu_backward", points=0.25, visibility="visible",
       message="relu_backward agrees with numerical gradients of your own relu_forward on the standard shapes")
def relu_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "relu_backward")), against="own")


@check("backprop/leaky_relu_forward", points=0.5, visibility="visible",
       message="leaky_relu_forward matches the reference output on the standard inputs")
def leaky_relu_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "leaky_relu_forward")))


@check("backprop/leaky_relu_backward", points=0.5, visibility="visible",
       message="leaky_relu_backward agrees with numerical gradients of your own leaky_relu_forward on the standard shapes")
def leaky_relu_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "leaky_relu_backward")), against="own")


@check("backprop/prelu_forward", points=0.5, visibility="visible",
       message="prelu_forward matches the reference output on the standard inputs")
def prelu_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "prelu_forward")))


@check("backprop/prelu_backward", points=0.5, visibility="visible",
       message="prelu_backward agrees with numerical gradients of your own prelu_forward on the standard shapes")
def prelu_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "prelu_backward")), against="own")


@check("backprop/sigmoid_forward", points=1, visibility="visible",
       message="sigmoid_forward matches the reference output on the standard inputs")
def sigmoid_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "sigmoid_forward")))


@check("backprop/sigmoid_backward", points=0.25, visibility="visible",
       message="sigmoid_backward agrees with numerical gradients of your own sigmoid_forward on the standard shapes")
def sigmoid_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "sigmoid_backward")), against="own")


@check("backprop/tanh_forward", points=0.5, visibility="visible",
       message="tanh_forward matches the reference output on the standard inputs")
def tanh_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "tanh_forward")))


@check("backprop/tanh_backward", points=0.5, visibility="visible",
       message="tanh_backward agrees with numerical gradients of your own tanh_forward on the standard shapes")
def tanh_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "tanh_backward")), against="own")


@check("backprop/batchnorm_forward", points=0.5, visibility="visible",
       message="batchnorm_forward matches the reference output on the standard inputs")
def batchnorm_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "batchnorm_forward")))


@check("backprop/batchnorm_backward", points=1, visibility="visible",
       message="batchnorm_backward agrees with numerical gradients of your own batchnorm_forward on the standard shapes")
def batchnorm_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "batchnorm_backward")), against="own")


@check("backprop/batchnorm_backward_alt", points=0.5, visibility="visible",
       message="batchnorm_backward_alt agrees with numerical gradients of your own batchnorm_forward on the standard shapes")
def batchnorm_backward_alt_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "batchnorm_backward_alt")), against="own")


@check("backprop/layernorm_forward", points=1, visibility="visible",
       message="layernorm_forward matches the reference output on the standard inputs")
def layernorm_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "layernorm_forward")))


@check("backprop/layernorm_backward", points=1, visibility="visible",
       message="layernorm_backward agrees with numerical gradients of your own layernorm_forward on the standard shapes")
def layernorm_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "layernorm_backward")), against="own")


@check("backprop/dropout_forward", points=1, visibility="visible",
       message="dropout_forward matches the reference output on the standard inputs")
def dropout_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "dropout_forward")))


@check("backprop/dropout_backward", points=0.5, visibility="visible",
       message="dropout_backward agrees with numerical gradients of your own dropout_forward on the standard shapes")
def dropout_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "dropout_backward")), against="own")


@check("backprop/softmax_loss", points=0.5, visibility="visible",
       message="softmax_loss returns the reference loss and dx on the standard inputs")
def softmax_loss_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "softmax_loss")))


@check("backprop/softmax_loss", points=0.5, visibility="visible",
       message="softmax_loss's dx matches numerical gradients of your own loss")
def softmax_loss_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "softmax_loss")), against="own")


@check("backprop/svm_loss", points=0.5, visibility="visible",
       message="svm_loss returns the reference loss and dx on the standard inputs")
def svm_loss_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "svm_loss")))


@check("backprop/svm_loss", points=0.5, visibility="visible",
       message="svm_loss's dx matches numerical gradients of your own loss")
def svm_loss_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "svm_loss")), against="own")


@check("backprop/mse_loss", points=0.25, visibility="visible",
       message="mse_loss returns the reference loss and dx on the standard inputs")
def mse_loss_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "mse_loss")))


@check("backprop/mse_loss", points=0.25, visibility="visible",
       message="mse_loss's dx matches numerical gradients of your own loss")
def mse_loss_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "mse_loss")), against="own")


@check("backprop/huber_loss", points=0.25, visibility="visible",
       message="huber_loss returns the reference loss and dx on the standard inputs")
def huber_loss_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "huber_loss")))


@check("backprop/huber_loss", points=0.25, visibility="visible",
       message="huber_loss's dx matches numerical gradients of your own loss")
def huber_loss_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "huber_loss")), against="own")


@check("backprop/clip_forward", points=0.5, visibility="visible",
       message="clip_forward matches the reference output on the standard inputs")
def clip_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "clip_forward")))


@check("backprop/clip_backward", points=0.5, visibility="visible",
       message="clip_backward agrees with numerical gradients of your own clip_forward on the standard shapes")
def clip_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "clip_backward")), against="own")


@check("backprop/gather_forward", points=0.5, visibility="visible",
       message="gather_forward matches the reference output on the standard inputs")
def gather_forward_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "gather_forward")))


@check("backprop/gather_backward", points=0.5, visibility="visible",
       message="gather_backward agrees with numerical gradients of your own gather_forward on the standard shapes")
def gather_backward_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "gather_backward")), against="own")


@check("backprop/conv_forward_naive", points=1, visibility="visible",
       message="conv_forward_naive matches the reference output on the standard inputs")
def conv_forward_naive_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "conv_forward_naive")))


@check("backprop/conv_backward_naive", points=1, visibility="visible",
       message="conv_backward_naive agrees with numerical gradients of your own conv_forward_naive on the standard shapes")
def conv_backward_naive_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "conv_backward_naive")), against="own")


@check("backprop/max_pool_forward_naive", points=1, visibility="visible",
       message="max_pool_forward_naive matches the reference output on the standard inputs")
def max_pool_forward_naive_values(ctx):
    forward_check(ctx, standard(forward_cases(A, "max_pool_forward_naive")))


@check("backprop/max_pool_backward_naive", points=1, visibility="visible",
       message="max_pool_backward_naive agrees with numerical gradients of your own max_pool_forward_naive on the standard shapes")
def max_pool_backward_naive_own_gradient(ctx):
    gradient_check(ctx, standard(gradient_cases(A, "max_pool_backward_naive")), against="own")


