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


