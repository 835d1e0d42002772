"""Which course secret a gradebook was graded with: a fingerprint (an HMAC of a fixed label under
the secret, which reveals nothing of it) kept in the gradebook's meta table.

Hidden inputs are derived from the secret, so results graded with two secrets are not comparable,
and a re-run with another secret would skip every already-graded submission silently. The batch
therefore refuses a secret other than the gradebook's unless it regrades (`--regrade`), which
records the new fingerprint.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from pathlib import Path

KEY = "secret_fingerprint"
_LABEL = b"grader gradebook secret fingerprint v1"


class SecretMismatch(ValueError):
    """The gradebook was graded with another course secret."""


def fingerprint(secret: str | bytes) -> str:
    key = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hmac.new(key, _LABEL, hashlib.sha256).hexdigest()[:16]


def check_secret(gradebook_path: str | Path, secret: str | bytes, *, regrade: bool) -> None:
    """Record the secret's fingerprint in the gradebook (created beforehand by `Gradebook`), or
    raise SecretMismatch when it holds another one and not ``regrade``."""
    mine = fingerprint(secret)
    db = sqlite3.connect(Path(gradebook_path), timeout=60.0, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT value FROM meta WHERE key=?", (KEY,)).fetchone()
        if row is not None and row[0] != mine and not regrade:
            db.execute("ROLLBACK")
            raise SecretMismatch(
                f"{gradebook_path} was graded with another course secret (fingerprint {row[0]}, "
                f"this one {mine}): pass the same --secret-file / $GRADER_SECRET, or --regrade to "
                "grade everything again with this one")
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (KEY, mine))
        db.execute("COMMIT")
    finally:
        db.close()
