"""Behavioural checks of the rnn assignment: vanishing and exploding gradients through time,
clipping by global norm, and the LSTM's cell-state highway, with the student's own layers
(behaviours.py documents the set-up and calibrated thresholds).

The scenario modules are imported inside each check so that the student release, which keeps
only visible checks, neither ships nor imports the hidden behaviour logic.

All hidden (per-student inputs); their points come out of each task's total.
"""

from grader.checks import check


