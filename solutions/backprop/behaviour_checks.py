"""Behavioural checks of the backprop assignment: the seeds' leaky abstractions, built from the
student's own layers (the modules of behaviours/, on grader.checks.behaviour_common). Each scenario and its calibrated thresholds
are documented where it is defined; tests/checks/test_behaviour_calibration.py holds the
calibration against the reference and tests/checks/test_behaviour_bugs.py shows plausible
buggy layers failing them.

The scenario modules are imported inside each check so that the student release, which keeps
only visible checks, neither ships nor imports the hidden behaviour logic.

All hidden (per-student inputs); their points come out of each task's total, beside the
checks in checks.py (tests/checks/test_points.py).
"""

from grader.checks import check


@check("backprop/sigmoid_backward", points=0.25, visibility="hidden",
       message="an affine + sigmoid layer initialised at std 10 saturates: >= 90% of the local "
               "gradients are below 1e-3 and the weight gradient is <= 20% of the one at std 0.01")
def behaviour_sigmoid_saturation(ctx):
    from .behaviours import sigmoid
    sigmoid.sigmoid_saturation(ctx.student, ctx.rng)


@check("backprop/sigmoid_backward", points=0.25, visibility="hidden",
       message="sigmoid_backward never passes more than 0.25 x the upstream gradient and stays "
               "finite at |z| = 1e4")
def behaviour_sigmoid_gradient_bound(ctx):
    from .behaviours import sigmoid
    sigmoid.sigmoid_gradient_bound(ctx.student, ctx.rng)
    sigmoid.sigmoid_backward_extremes(ctx.student, ctx.rng)


@check("backprop/sigmoid_forward", points=0.5, visibility="hidden",
       message="sigmoid_forward is finite and right at |z| up to 1e4 (numerically stable)")
def behaviour_sigmoid_forward_extremes(ctx):
    from .behaviours import sigmoid
    sigmoid.sigmoid_forward_extremes(ctx.student, ctx.rng)


@check("backprop/relu_backward", points=0.25, visibility="hidden",
       message="a ReLU unit negative on every example gets exactly zero weight and bias gradient")
def behaviour_dead_relu_zero_gradient(ctx):
    from .behaviours import relu
    relu.dead_relu_zero_gradient(ctx.student, ctx.rng)


@check("backprop/relu_backward", points=0.25, visibility="hidden",
       message="one SGD step at learning rate 1000 kills >= 40% of a two-layer network's ReLU "
               "units, and dead units get zero gradient")
def behaviour_dying_relus(ctx):
    from .behaviours import relu
    relu.dying_relus_after_large_step(ctx.student, ctx.rng)


@check("backprop/leaky_relu_backward", points=0.25, visibility="hidden",
       message="leaky_relu_backward passes alpha * dout for negative inputs")
def behaviour_leaky_relu_slope(ctx):
    from .behaviours import relu
    relu.leaky_relu_negative_slope(ctx.student, ctx.rng)


@check("backprop/prelu_backward", points=0.5, visibility="hidden",
       message="prelu_backward passes alpha * dout for negative inputs and the slope gets its "
               "gradient, summed over the batch")
def behaviour_prelu_slope(ctx):
    from .behaviours import relu
    relu.prelu_slope_gradient(ctx.student, ctx.rng)


@check("backprop/clip_backward", points=0.25, visibility="hidden",
       message="clip_backward is exactly zero where |delta| > 1 (the DQN clipping bug)")
def behaviour_clip_zero_outside(ctx):
    from .behaviours import dqn
    dqn.clip_backward_zero_outside(ctx.student, ctx.rng)


@check("backprop/huber_loss", points=0.25, visibility="hidden",
       message="huber_loss's gradient equals clip(delta, -1, 1)")
def behaviour_huber_is_clipped_delta(ctx):
    from .behaviours import dqn
    dqn.huber_gradient_is_clipped_delta(ctx.student, ctx.rng)


@check("backprop/gather_backward", points=0.5, visibility="hidden",
       message="a TD loss from gather + huber sends gradient only to the taken actions, "
               "accumulating over repeated ones")
def behaviour_td_loss_gradient(ctx):
    from .behaviours import dqn
    dqn.td_loss_gradient_to_taken_actions(ctx.student, ctx.rng)


@check("backprop/batchnorm_forward", points=0.25, visibility="hidden",
       message="batchnorm_forward in train mode is unchanged when x is scaled by c > 0")
def behaviour_batchnorm_forward_scale(ctx):
    from .behaviours import batchnorm as bn
    bn.batchnorm_forward_scale_invariance(ctx.student, ctx.rng)


@check("backprop/batchnorm_forward", points=0.25, visibility="hidden",
       message="after training steps, test mode normalises with the running statistics")
def behaviour_batchnorm_test_mode(ctx):
    from .behaviours import batchnorm as bn
    bn.batchnorm_test_mode_running_stats(ctx.student, ctx.rng)


@check("backprop/batchnorm_backward", points=0.5, visibility="hidden",
       message="batchnorm_backward's dx sums to zero over the batch and scales by 1/c when x is "
               "scaled by c")
def behaviour_batchnorm_backward_invariances(ctx):
    from .behaviours import batchnorm as bn
    bn.batchnorm_dx_sums_to_zero(ctx.student, ctx.rng, "batchnorm_backward")
    bn.batchnorm_backward_scale(ctx.student, ctx.rng, "batchnorm_backward")


@check("backprop/batchnorm_backward_alt", points=0.5, visibility="hidden",
       message="batchnorm_backward_alt's dx sums to zero over the batch and scales by 1/c when "
               "x is scaled by c")
def behaviour_batchnorm_backward_alt_invariances(ctx):
    from .behaviours import batchnorm as bn
    bn.batchnorm_dx_sums_to_zero(ctx.student, ctx.rng, "batchnorm_backward_alt")
    bn.batchnorm_backward_scale(ctx.student, ctx.rng, "batchnorm_backward_alt")


# Shown to students only after the due date: whether their own network learns is the one result
# the course keeps for the post-deadline feedback (it is graded either way). A task of its own
# (assignment.toml), so a bug in one layer is not charged twice to that layer.
@check("backprop/network_learns", points=0.5, visibility="after_due_date",
       message="a two-layer network of your layers (affine, relu, softmax_loss) overfits 50 "
               "examples within 100 SGD steps")
def behaviour_two_layer_net_learns(ctx):
    from .behaviours import learning
    learning.two_layer_net_overfits(ctx.student, ctx.rng)
