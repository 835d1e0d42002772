"""The course secret and the per-student seeds of hidden checks. Grader only: never released.

seed = HMAC-SHA256(key=secret, msg=student id NUL check id), first 16 bytes as an integer. The
same student and check give the same inputs on every re-grade; another student, or another
check, gives unrelated inputs; without the secret nobody can predict them.

The secret comes from $GRADER_SECRET or a file the caller names. DEV_SECRET is a documented
default for the demo and the tests only (`allow_dev_default=True`); it is never written into a
release.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import numpy as np

SECRET_ENV = "GRADER_SECRET"
DEV_SECRET = "dev-secret-not-for-real-courses"


def load_secret(path: str | Path | None = None, *, allow_dev_default: bool = False) -> bytes:
    """The course secret: from `path` (a file, stripped of surrounding whitespace) when given,
    else $GRADER_SECRET, else DEV_SECRET when allowed; otherwise a clear error."""
    if path is not None:
        text = Path(path).read_text(encoding="utf-8").strip()
        if not text:
            raise ValueError(f"the secret file {path} is empty")
        return text.encode("utf-8")
    env = os.environ.get(SECRET_ENV, "").strip()
    if env:
        return env.encode("utf-8")
    if allow_dev_default:
        return DEV_SECRET.encode("utf-8")
    raise ValueError(f"no course secret: set ${SECRET_ENV} or pass a secret file "
                     "(the demo and tests use the dev default)")


def _as_bytes(secret: bytes | str) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not secret:
        raise ValueError("the course secret is empty")
    return secret


def hidden_seed(secret: bytes | str, student_id: str, check_id: str) -> int:
    """The seed of one hidden check for one student (a 128-bit integer)."""
    message = student_id.encode("utf-8") + b"\0" + check_id.encode("utf-8")
    digest = hmac.new(_as_bytes(secret), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:16], "big")


def hidden_rng(secret: bytes | str, student_id: str, check_id: str) -> np.random.Generator:
    return np.random.default_rng(hidden_seed(secret, student_id, check_id))
