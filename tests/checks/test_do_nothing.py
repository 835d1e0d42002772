"""A submission that does no work earns nothing: zeros agree with a flat forward, and that
agreement is not credit.

The do-nothing submission keeps the reference's caches (so nothing crashes) but returns zeros
for every output, loss and gradient: a constant forward whose zero backward is perfectly
"consistent" with it. Self-consistency checks and the partial credit for "forward wrong,
backward consistent" must not pay for that.
"""

import pytest

from checks_support import copy_reference
from grader.assignment import load_assignment
from grader.checks.grade import grade_submission
from grader.checks.scoring import score

ZERO_EVERYTHING = '''

# ---- do nothing: every array a zero of the right shape, caches kept ----
import numpy as _np


def _zeros(value):
    if isinstance(value, _np.ndarray):
        return _np.zeros_like(value)
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return 0.0
    if isinstance(value, dict):
        return {k: _zeros(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_zeros(v) for v in value)
    return value


def _do_nothing(function, keeps_cache):
    def wrapper(*args, **kwargs):
        out = function(*args, **kwargs)
        if keeps_cache and isinstance(out, tuple):
            return tuple(_zeros(v) for v in out[:-1]) + (out[-1],)
        return _zeros(out)
    return wrapper


for _name, _function in list(globals().items()):
    if callable(_function) and not _name.startswith("_") and getattr(_function, "__module__", None) == __name__:
        globals()[_name] = _do_nothing(_function, "forward" in _name)
'''


@pytest.mark.parametrize("name", ["backprop", "rnn"])
def test_a_submission_of_zeros_scores_nothing(tmp_path, name, grade_kwargs):
    folder = copy_reference(name, tmp_path / "s")
    for stem in load_assignment(name).modules:
        path = folder / f"{stem}.py"
        path.write_text(path.read_text() + ZERO_EVERYTHING)
    result = grade_submission(folder, assignment=name, student_id="idle",
                              secret=grade_kwargs["secret"],
                              runner_factory=grade_kwargs["runner_factory"])
    paid = {task: got for task, (got, _) in score(result.checks).items() if got > 0}
    assert not paid, f"points for zeros: {paid}"
