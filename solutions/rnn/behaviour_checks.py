"""Behavioural checks of the rnn assignment: vanishing and exploding gradients through time,
clipping by global norm, and the LSTM's cell-state highway, with the student's own layers
(behaviours.py documents the set-up and calibrated thresholds).

The scenario modules are imported inside each check so that the student release, which keeps
only visible checks, neither ships nor imports the hidden behaviour logic.

All hidden (per-student inputs); their points come out of each task's total.
"""

from grader.checks import check


@check("rnn/rnn_backward", points=0.5, visibility="hidden",
       message="through 50 steps of rnn_backward the gradient reaching h0 vanishes when Wh's "
               "spectral radius is 0.7 and explodes when it is 1.3")
def behaviour_rnn_vanishing_exploding(ctx):
    from . import behaviours as recurrent
    recurrent.rnn_vanishing_gradient(ctx.student, ctx.rng)
    recurrent.rnn_exploding_gradient(ctx.student, ctx.rng)


@check("rnn/clip_grad_norm", points=0.5, visibility="hidden",
       message="clip_grad_norm bounds exploding RNN gradients to max_norm, keeping their direction")
def behaviour_clip_grad_norm_bounds(ctx):
    from . import behaviours as recurrent
    recurrent.clip_grad_norm_bounds_explosion(ctx.student, ctx.rng)


@check("rnn/lstm_backward", points=0.5, visibility="hidden",
       message="with its forget gate near 1 the LSTM carries gradient back 50 steps to h0, where "
               "a vanilla RNN's vanishes")
def behaviour_lstm_carries_gradient(ctx):
    from . import behaviours as recurrent
    recurrent.lstm_carries_gradient(ctx.student, ctx.rng)
