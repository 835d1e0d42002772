"""A result's diagnosis code in plain words, naming the array that is wrong.

The codes and sentences belong to `grader.checks.diagnose`; this picks the array to name (the
first measured error over its threshold). Shared by the student's `check` and the feedback pages.
Student-safe.
"""

from __future__ import annotations

import re

from grader.checks.diagnose import describe

# Keys of `errors` that name an array the student returned (dx, dw, dgamma, dprev_h, out, loss),
# as opposed to summary metrics a check also records (directional, max_gain, ...).
_ARRAY_NAME = re.compile(r"(?!directional$)d[A-Za-z0-9_]{0,10}|out|loss")


def failing_array(errors: dict[str, float], thresholds: dict[str, float]) -> str | None:
    """Name of the first array whose relative error exceeds its threshold (NaN counts as over);
    keys that are metrics rather than arrays (e.g. "directional", "max_gain") are never named."""
    for name, value in errors.items():
        limit = thresholds.get(name)
        if _ARRAY_NAME.fullmatch(name) and limit is not None and not value <= limit:
            return name
    return None


def plain_words(diagnosis: str | None, errors: dict[str, float] | None = None,
                thresholds: dict[str, float] | None = None) -> str | None:
    """The sentence a student reads for ``diagnosis``; None when there is no diagnosis."""
    if not diagnosis:
        return None
    name = failing_array(errors or {}, thresholds or {}) or "gradient"
    return describe(diagnosis, name)

