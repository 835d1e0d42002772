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


