"""Step: public_expected.npz, the reference's outputs for the visible checks.

The student release has no reference; its visible checks replay these values. Recorded by the
check framework (`record_public_expected`), rounded to 40 significant bits so that another CPU or BLAS
writes the same values (`grader.release.canonical`), saved without pickles and with fixed zip
metadata (`save_public_expected`). Every key must belong to a visible check: a key of a removed check
would ship hidden data, so it stops the release.
"""

from __future__ import annotations

import io

from grader.checks.context import save_public_expected
from grader.release.build import Build, ReleaseError
from grader.release.canonical import canonical_values

PUBLIC_EXPECTED = "public_expected.npz"


def _recorder():
    from grader.checks.expected import record_public_expected
    return record_public_expected


def record_expected(build: Build) -> None:
    try:
        values = canonical_values(_recorder()(build.assignment))
    except RuntimeError as error:  # a visible check the reference fails: named in the message
        raise ReleaseError(f"{PUBLIC_EXPECTED}: {error}") from error
    hidden = set(build.hidden_checks)
    for key in sorted(values):
        if key.split("::", 1)[0] in hidden:
            raise ReleaseError(f"{PUBLIC_EXPECTED}: key {key!r} belongs to a hidden check")
    buffer = io.BytesIO()
    save_public_expected(values, buffer)
    build.files[PUBLIC_EXPECTED] = buffer.getvalue()
    build.notes.append(f"recorded {len(values)} public expected value(s)")
