"""Notes a passing check carries to the student: what was accepted although not as asked.

A check that accepts something it could have refused says so, visibly: a `(1, D)` array where
`(D,)` was asked (as CS231n's `rel_error` accepts it), or a backward judged only on the cases
where the student's forward could make a cache. `note(text)` records a note for the check
being run; `run_check` collects them (`collecting()`) and appends them to the passed result's
message. Outside a check, `note` does nothing.

Student-safe: standard library only.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_NOTES: ContextVar[list[str] | None] = ContextVar("check_notes", default=None)


def note(text: str) -> None:
    """Record `text` for the check being run (once)."""
    notes = _NOTES.get()
    if notes is not None and text not in notes:
        notes.append(text)


@contextmanager
def collecting() -> Iterator[list[str]]:
    """The notes recorded while the block runs (a fresh list, in order)."""
    token = _NOTES.set([])
    try:
        yield _NOTES.get()
    finally:
        _NOTES.reset(token)


def with_notes(message: str, notes: list[str]) -> str:
    """`message` followed by the notes, if any."""
    return message if not notes else f"{message} (note: {'; '.join(notes)})"
