"""Fakes for the batch mechanics tests: an assignment and a grade function.

`fake_grade` has grade_submission's signature and reads directives from the submission's
layers.py as bytes (so it copes with any source): `SCORE = k` (0..10, default 0), `SLEEP = s`,
`RAISE` (a grader bug), `TIMEOUT` (status "timeout"), `KILL_WORKER` (the grading process dies, as if a submission killed it).
With $FAKE_GRADE_LOG set it appends "student pid" per grading, so tests can count gradings.
"""

from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from grader.checks.results import CheckResult, SubmissionResult


@dataclass(frozen=True)
class FakeAssignment:
    name: str = "fake"
    modules: tuple[str, ...] = ("layers", "layer_utils")
    points: float = 10.0


def fake_grade(submission_dir, *, assignment, student_id, secret, runner_factory,
               include_hidden=True) -> SubmissionResult:
    source = Path(submission_dir) / "layers.py"
    text = source.read_bytes() if source.exists() else b""
    log = os.environ.get("FAKE_GRADE_LOG")
    if log:
        with open(log, "a") as handle:
            handle.write(f"{student_id} {os.getpid()}\n")
    if b"KILL_WORKER" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if b"RAISE" in text:
        raise RuntimeError("a bug in a check")
    sleep = re.search(rb"SLEEP = ([0-9.]+)", text)
    if sleep:
        time.sleep(float(sleep.group(1)))
    found = re.search(rb"SCORE = ([0-9]+)", text)
    score = min(10, int(found.group(1))) if found else 0
    checks = [CheckResult(check_id=f"{assignment.name}/part{i}", task=f"{assignment.name}/task{i}",
                          status="passed" if got == 5 else "failed", score=float(got),
                          max_score=5.0, visibility="hidden", message="")
              for i, got in enumerate((min(score, 5), max(0, score - 5)))]
    timeout = b"TIMEOUT" in text
    return SubmissionResult(assignment=assignment.name, student=student_id,
                            submission_hash="set-by-the-batch", checks=checks,
                            status="timeout" if timeout else "graded",
                            message="the submission ran out of time" if timeout else "", started_at="2026-01-01T00:00:00+00:00", duration_s=0.0)


def write_student(root: Path, student: str, score: int, *, sleep: float = 0.0,
                  extra: str = "") -> Path:
    """A folder-per-student submission whose fake score is `score`."""
    folder = root / student
    folder.mkdir(parents=True)
    (folder / "layers.py").write_text(f"SCORE = {score}\nSLEEP = {sleep}\n{extra}\n")
    (folder / "layer_utils.py").write_text("from .layers import *\n")
    return folder
