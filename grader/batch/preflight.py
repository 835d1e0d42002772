"""Source-level notes on a submission, found without running it: not UTF-8, syntax errors,
Python 2. The runner reports the same modules as failing to import, task by task; these notes
tell the student, once and in plain words, why.

`compile` only parses and compiles (nothing runs); CPython bounds its recursion and nesting, and
the sources are capped at a few MB by `unpack`. It runs in the batch worker, never in the
process holding the gradebook.
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

_PY2_HINTS = (
    "Missing parentheses in call to 'print'",
    "Missing parentheses in call to 'exec'",
    "multiple exception types must be parenthesized",
    "leading zeros in decimal integer literals",
)


def source_notes(job_dir: str | Path, files: tuple[str, ...]) -> list[str]:
    """One note per `.py` file (relative paths under job_dir) that Python 3 cannot compile."""
    notes = []
    for rel in files:
        note = _note_for(rel, (Path(job_dir) / rel).read_bytes())
        if note:
            notes.append(note)
    return notes


def _note_for(rel: str, data: bytes) -> str | None:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except SyntaxError as exc:
        return f"{rel}: {exc.msg}; save the file as UTF-8"
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" (byte 0x{data[exc.start]:02x} at offset {exc.start})" \
            if isinstance(exc, UnicodeDecodeError) else ""
        return f"{rel} is not valid UTF-8 text{where}; save the file as UTF-8"
    try:
        compile(text, rel, "exec", dont_inherit=True)
    except SyntaxError as exc:
        hint = " (this looks like Python 2; the grader runs Python 3)" \
            if any(h in str(exc.msg) for h in _PY2_HINTS) else ""
        return f"{rel} line {exc.lineno}: syntax error: {exc.msg}{hint}"
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return f"{rel} cannot be compiled: {type(exc).__name__}: {exc}"
    return None
