"""Results of grading: plain dataclasses that round-trip through JSON.

Student-safe: standard library only. Reporters (CSV, Gradescope, HTML) read these; nothing here
formats for one of them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

STATUSES = ("passed", "failed", "error", "not_implemented", "missing", "timeout")
SUBMISSION_STATUSES = ("graded", "error", "timeout")


def _finite_or_str(value: float):
    """JSON has no NaN/inf: keep them as strings so a round trip is exact and the JSON strict."""
    value = float(value)
    return value if math.isfinite(value) else repr(value)


def _float(value) -> float:
    return float(value)  # float("nan"), float("inf") parse the strings written above


@dataclass
class CheckResult:
    """The outcome of one check for one submission.

    status: one of STATUSES. score: points earned (0 <= score <= max_score).
    errors / thresholds: measured relative errors and the limits they were held to, by name.
    """

    check_id: str
    task: str
    status: str
    score: float
    max_score: float
    visibility: str
    message: str
    diagnosis: str | None = None
    errors: dict[str, float] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown check status {self.status!r}")
        if not 0 <= self.score <= self.max_score + 1e-9:
            raise ValueError(f"score {self.score} outside [0, {self.max_score}] for {self.check_id}")

    def to_dict(self) -> dict:
        out = asdict(self)
        out["errors"] = {k: _finite_or_str(v) for k, v in self.errors.items()}
        out["thresholds"] = {k: _finite_or_str(v) for k, v in self.thresholds.items()}
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "CheckResult":
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown CheckResult fields {sorted(unknown)}")
        values = dict(data)
        values["errors"] = {k: _float(v) for k, v in data.get("errors", {}).items()}
        values["thresholds"] = {k: _float(v) for k, v in data.get("thresholds", {}).items()}
        values["score"] = float(data["score"])
        values["max_score"] = float(data["max_score"])
        return cls(**values)


@dataclass
class SubmissionResult:
    """Every check result of one submission, plus what happened to the submission as a whole.

    status: "graded" | "error" | "timeout"; message: submission-level (e.g. "corrupt zip").
    started_at / submitted_at: ISO 8601 strings; duration_s: wall-clock seconds spent grading.
    """

    assignment: str
    student: str
    submission_hash: str
    checks: list[CheckResult]
    status: str
    message: str
    started_at: str
    duration_s: float
    submitted_at: str | None = None
    plots: dict = field(default_factory=dict)  # grader.checks.curves payload, for feedback pages

    def __post_init__(self) -> None:
        if self.status not in SUBMISSION_STATUSES:
            raise ValueError(f"unknown submission status {self.status!r}")

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "checks"}
        out["checks"] = [c.to_dict() for c in self.checks]
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "SubmissionResult":
        values = dict(data)
        values["checks"] = [CheckResult.from_dict(c) for c in data.get("checks", [])]
        values["duration_s"] = float(data["duration_s"])
        return cls(**values)
