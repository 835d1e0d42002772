"""One submission's way through grading: prepare (unpack + hash) -> grade -> total.

Shared by the batch driver (in pool workers) and by `grade` of a single submission, so both
give the same result for the same files.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from grader.batch.discover import Submission
from grader.batch.preflight import source_notes
from grader.batch.unpack import BadSubmission, Limits, raw_hash, unpack
from grader.checks.results import SubmissionResult
from grader.checks.scoring import total


@dataclass(frozen=True)
class Job:
    """A submission unpacked into `job_dir`, ready for a worker (picklable)."""

    student: str
    job_dir: str
    submission_hash: str
    files: tuple[str, ...]
    notes: tuple[str, ...]
    submitted_at: str | None
    source_name: str
    provenance: tuple[tuple[str, str | None], ...] = ()   # see `provenance_of`


def provenance_of(sub: Submission, flags=()) -> tuple[tuple[str, str | None], ...]:
    """Where a submission's identity and time came from, and the flags for the TA, as the
    gradebook's provenance columns (grader.batch.gradebook)."""
    return (("student_source", sub.student_source), ("time_source", sub.time_source),
            ("lms_id", sub.lms_id), ("display_name", sub.name),
            ("flags", "; ".join([*sub.flags, *flags]) or None))


IDENTITY_FLAG = "its manifest.json names"


def identity_flags(sub: Submission, manifest) -> list[str]:
    """A manifest that names another student than the place the submission was found: flagged,
    and nothing else changes (the id stays the trusted one)."""
    if manifest is not None and manifest.student != sub.student:
        return [f"{IDENTITY_FLAG} {manifest.student!r}, but it was found as "
                f"{sub.student!r} ({sub.student_source}): graded as {sub.student!r}"]
    return []


def resolve_assignment(assignment):
    """An Assignment, from itself or its name / path (grader.assignment.load_assignment)."""
    if isinstance(assignment, (str, os.PathLike)):
        from grader.assignment import load_assignment
        return load_assignment(assignment)
    return assignment


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def prepare(sub: Submission, job_dir: str | os.PathLike, *, assignment,
            limits: Limits = Limits()) -> Job | SubmissionResult:
    """Unpack `sub` into the empty folder `job_dir`: a Job, or an "error" SubmissionResult with
    the student-facing reason when it cannot be graded."""
    started, clock = now_iso(), time.monotonic()
    try:
        unpacked = unpack(sub.source, job_dir, modules=tuple(assignment.modules),
                          assignment=assignment.name, limits=limits, members=sub.members)
    except BadSubmission as exc:
        return error_result(assignment.name, sub, str(exc), started=started,
                            duration_s=time.monotonic() - clock)
    flags = identity_flags(sub, unpacked.manifest)
    # submitted_at: the trusted source's only (a manifest's time is the student's word)
    return Job(student=sub.student, job_dir=str(job_dir), submission_hash=unpacked.submission_hash,
               files=unpacked.files, notes=unpacked.notes + tuple(flags),
               submitted_at=sub.submitted_at, source_name=sub.source.name,
               provenance=provenance_of(sub, flags))


def error_result(assignment: str, sub: Submission, message: str, *, started: str | None = None,
                 duration_s: float = 0.0, submission_hash: str | None = None) -> SubmissionResult:
    """A submission that could not be graded at all: no checks, status "error", a message."""
    if submission_hash is None:
        try:
            submission_hash = raw_hash(sub.source)
        except OSError:  # unreadable: key it by its name so a re-run still finds it
            submission_hash = hashlib.sha256(os.fsencode(sub.source)).hexdigest()
    return SubmissionResult(assignment=assignment, student=sub.student,
                            submission_hash=submission_hash, checks=[], status="error",
                            message=message, started_at=started or now_iso(),
                            duration_s=duration_s, submitted_at=sub.submitted_at)


def grade_prepared(job: Job, *, assignment, secret: str | bytes, runner_factory: Any,
                   grade_fn: Callable[..., SubmissionResult]) -> SubmissionResult:
    """Grade an unpacked submission with `grade_fn` (grade_submission's signature); the result
    carries our submission hash, the submission time and the unpacking / source notes."""
    notes = list(job.notes) + source_notes(job.job_dir, job.files)
    result = grade_fn(Path(job.job_dir), assignment=assignment, student_id=job.student,
                      secret=secret, runner_factory=runner_factory)
    result.submission_hash = job.submission_hash
    result.submitted_at = job.submitted_at
    result.message = "; ".join(m for m in _without_repeats(result.message, notes) if m)
    return result


def _without_repeats(message: str | None, notes: list[str]) -> list[str | None]:
    """`message` and `notes`, but a note on the same file and line as the message (the
    sandbox's SyntaxError and preflight's plain-words note on it) takes the message's place
    instead of repeating it."""
    for note in notes:
        place = note.split(": ", 1)[0]
        if message and " line " in place and message.startswith(place + ": "):
            return [note, *(n for n in notes if n is not note)]
    return [message, *notes]


def possible_points(assignment) -> float:
    """The most a submission can score: the sum of the points of every check of the assignment
    (what a graded result's checks add up to), else the assignment's task points."""
    from grader.assignment import Assignment
    if isinstance(assignment, Assignment):
        from grader.checks.registry import collect
        specs = collect(assignment)
        if specs:
            return float(sum(spec.points for spec in specs))
    return float(assignment.points)


def result_total(result: SubmissionResult, possible: float) -> tuple[float, float]:
    """(score, max) of a result: its checks' sums; `possible` (see possible_points) when it has
    no checks (it could not be graded), so every student of a class has the same max."""
    got, most = total(result.checks)
    return got, (most if result.checks else possible)
