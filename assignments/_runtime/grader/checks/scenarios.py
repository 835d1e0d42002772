"""Building blocks of checks that need a sequence of calls or a layer outside the case catalogue.

Such checks belong to one assignment and live beside its solutions (e.g.
`solutions/<a>/scenarios.py`, imported by its checks.py as `from .scenarios import ...` and
shipped with the public checks). They take `ctx` (grader.checks.context), get reference values
through `ctx.expected` (computed in the grader, recorded for the release) and fail with
`compare`:

    compare(function, name, got, want, errors, thresholds, limit, *, batch=None)
        CheckFailed naming `function`'s `name` (with a diagnosis) unless rel_error(got, want)
        <= limit; records the error and the limit in `errors` / `thresholds`

Student-safe: numpy and this package only.
"""

from __future__ import annotations

from grader.checks.diagnose import diagnose
from grader.checks.spec import CheckFailed
from grader.checks.validate import expect_array
from grader.gradcheck import rel_error

#: Values a few multiply-adds away from their inputs (running averages, clipping): rounding only.
ROUNDING_THRESHOLD = 1e-7


def compare(function: str, name: str, got, want, errors, thresholds, limit, *, batch=None):
    """CheckFailed unless `got` (validated as an array like `want`) is within `limit` of `want`
    in rel_error; `errors[name]` and `thresholds[name]` record the measurement."""
    got = expect_array(function, name, got, expected=want)
    err = rel_error(got, want)
    errors[name], thresholds[name] = err, limit
    if err > limit:
        found = diagnose(name, got, want, batch_size=batch)
        raise CheckFailed(f"{function} gives a wrong {name} (relative error {err:.1e}, allowed "
                          f"{limit:.0e})" + (f": {found.words}" if found else ""),
                          diagnosis=found.code if found else None, errors=errors,
                          thresholds=thresholds)
