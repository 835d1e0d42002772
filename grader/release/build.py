"""What a release build carries from step to step.

A `Build` is one assignment's release held in memory: the student folder as
{relative posix path: bytes} (written to assignments/<a>/), the dist/ files (same form), and
the secrets the leak scan looks for. Steps add to it; nothing is written until every gate passed,
so a failing gate leaves the committed release untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.assignment import Assignment


class ReleaseError(RuntimeError):
    """A release that must not ship: names the file and line (or the check) at fault."""


@dataclass(frozen=True)
class Secret:
    """Something that must never appear in a released file.

    kind: "solution line" | "hidden check line" | "hidden check name".
    text: the whitespace-normalised text (tokens joined by single spaces) or the bare name.
    origin: where it comes from, "solutions/backprop/layers.py:28".
    """

    kind: str
    text: str
    origin: str


@dataclass
class Build:
    """One assignment's release in memory (see the module docstring).

    files: the student folder as it leaves the repo (zip, nbgrader course, gates),
        {"layers.py": b"...", "grader/checks/spec.py": b"...", ...}; its grader/ part is the
        assignment's share of the student runtime, written once in assignments/_runtime/
        (`grader.release.runtime`), the rest in assignments/<a>/.
    dist: {"backprop-student.zip": b"...", "nbgrader/source/backprop/backprop.ipynb": b"..."}.
    secrets: filled by the `collect_secrets` step.
    hidden_checks: ids of the checks filtered out (kept for the gates).
    notes: one line per step, for the command line's summary.
    course_modules: the assignment's own support modules shipped beside the student's
        ("cases.py", ...; `grader.release.vendor.course_closure`).
    gradescope_secret: the course secret the Gradescope bundle carries (None: no bundle).
    """

    assignment: Assignment
    repo: Path
    files: dict[str, bytes] = field(default_factory=dict)
    dist: dict[str, bytes] = field(default_factory=dict)
    secrets: list[Secret] = field(default_factory=list)
    hidden_checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    course_modules: list[str] = field(default_factory=list)
    gradescope_secret: bytes | None = None

    @property
    def name(self) -> str:
        return self.assignment.name

    def rel(self, path: Path) -> str:
        """`path` relative to the repository, for messages."""
        try:
            return Path(path).resolve().relative_to(self.repo.resolve()).as_posix()
        except ValueError:
            return str(path)
