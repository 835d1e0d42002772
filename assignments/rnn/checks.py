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


