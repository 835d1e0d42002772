"""Calibration of the rnn behaviours (grader.checks.calibration): every scenario a hidden check
runs, and the stricter thresholds the reference must still meet on every seed.

tests/checks/test_behaviour_calibration.py runs each entry against the reference, in process,
on many seeds with every TIGHTER value in place; the release refuses a hidden check running a
scenario not listed here. Grader side only: nothing shipped imports it.
"""

from grader.checks.calibration import Calibration

from . import behaviours as recurrent

CALIBRATIONS = [
    Calibration(recurrent.rnn_vanishing_gradient),
    Calibration(recurrent.rnn_exploding_gradient),
    Calibration(recurrent.clip_grad_norm_bounds_explosion),
    Calibration(recurrent.lstm_carries_gradient),
]

# Stricter thresholds the reference must still meet on every seed: (module, constant) -> value.
TIGHTER = {
    (recurrent, "MAX_VANISHING_RATIO"): 1e-7,       # published 1e-5; reference <= 1.8e-8
    (recurrent, "MIN_EXPLODING_RATIO"): 1e5,        # published 1e3; reference >= 4.9e5
    (recurrent, "MIN_LSTM_RATIO"): 0.1,             # published 1e-2; reference >= 0.19
}
