"""Errors a user of the command line can cause, printed as one line that says what to do.

A command's `func` wrapped by `one_line_errors("export", func)` turns the exceptions in
`USER_ERRORS` (a missing file, an unknown assignment, an empty gradebook, a bad override) into
``export: <message>`` on stderr and exit code 2; anything else is our bug and keeps its traceback.
TA side only (the student's commands, which the release ships, handle their own errors).
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from pathlib import Path


class UsageError(Exception):
    """A user's mistake; the message names it and says what to do."""


def _user_errors() -> tuple[type[BaseException], ...]:
    from grader.batch.fingerprint import SecretMismatch
    from grader.batch.manifest import ManifestError
    from grader.batch.overrides import OverrideError
    from grader.reports.csv_export import NothingToExport
    return (UsageError, FileNotFoundError, NotADirectoryError, ManifestError, OverrideError,
            NothingToExport, SecretMismatch, sqlite3.DatabaseError)


def resolve(assignment):
    """A loaded Assignment from a name or folder; UsageError naming the choices when unknown."""
    from grader.assignment import Assignment, find_solutions_root, load_assignment
    if isinstance(assignment, Assignment):
        return assignment
    try:
        return load_assignment(assignment)
    except FileNotFoundError:
        try:
            names = sorted(p.parent.name for p in find_solutions_root().glob("*/assignment.toml"))
        except FileNotFoundError:
            names = []
        choices = f"choose one of: {', '.join(names)}" if names else "no solutions/ folder here"
        raise UsageError(f"no assignment {str(assignment)!r} ({choices}; or give the path of a "
                         "folder holding assignment.toml)") from None


def existing_gradebook(path) -> Path:
    """``path`` if it exists; UsageError saying how to make one otherwise."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"no gradebook at {path}: grade first (python -m grader grade "
                         "SUBMISSIONS --assignment A --gradebook PATH) or pass --gradebook")
    return path


def one_line_errors(command: str, func):
    """``func(args) -> int`` with user errors printed as ``command: message`` (exit code 2)."""
    @functools.wraps(func)
    def run(args) -> int:
        try:
            return func(args)
        except _user_errors() as exc:
            text = " ".join(str(exc).split()) or type(exc).__name__
            if isinstance(exc, sqlite3.DatabaseError):
                text = f"cannot read the gradebook: {text} (is it a gradebook file?)"
            print(f"{command}: {text}", file=sys.stderr)
            return 2
    return run
