"""Helpers for the check framework's tests: submissions made from the reference solutions."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.assignment import load_assignment
from grader.checks.secret import DEV_SECRET
from grader.markers import default_task, strip

TOY = Path(__file__).parent / "toy"


class RecordingRunner:
    """Wraps a runner and records every Call it forwards (for tests of the inputs sent)."""

    def __init__(self, inner, log):
        self.inner, self.log = inner, log

    def call(self, module, function, *args, keep=(), **kwargs):
        self.log.append((module, function, args, kwargs))
        self.round_trips = getattr(self, "round_trips", 0) + 1
        return self.inner.call(module, function, *args, keep=keep, **kwargs)

    def call_many(self, calls):
        self.log.extend((c.module, c.function, c.args, c.kwargs) for c in calls)
        self.round_trips = getattr(self, "round_trips", 0) + 1
        return self.inner.call_many(calls)

    def drop(self, *handles):
        if hasattr(self.inner, "drop"):
            self.inner.drop(*handles)

    def close(self):
        self.inner.close()


def copy_reference(assignment: str, dest: Path, *, edits=None) -> Path:
    """Copy an assignment's modules into dest, applying {module: [(old, new), ...]} edits
    (each `old` must occur in the module, so a stale edit fails loudly)."""
    a = load_assignment(assignment) if assignment != "toy" else load_assignment(TOY)
    dest.mkdir(parents=True, exist_ok=True)
    for stem in a.modules:
        text = (a.root / f"{stem}.py").read_text()
        for old, new in (edits or {}).get(stem, []):
            assert old in text, f"edit target not found in {stem}.py: {old!r}"
            text = text.replace(old, new)
        (dest / f"{stem}.py").write_text(text)
    return dest


def stub_copy(assignment: str, dest: Path) -> Path:
    """The assignment's modules with every solution region replaced by the release's stub."""
    a = load_assignment(assignment) if assignment != "toy" else load_assignment(TOY)
    dest.mkdir(parents=True, exist_ok=True)
    for stem in a.modules:
        source = (a.root / f"{stem}.py").read_text()
        (dest / f"{stem}.py").write_text(strip(source, task_for=default_task(a.name),
                                               filename=f"{stem}.py"))
    return dest


