"""One Gradescope submission, graded the way the batch grades one: what the bundle's
`run_gradescope.py` calls.

Identity, time and deadline come from Gradescope's `submission_metadata.json` (never from the
student's files): the student is the first submitter's email (else Gradescope's user id), the
time is `created_at`, the due date is the submitter's own (an extension Gradescope granted) else
the assignment's. The submission is unpacked and graded by `grader.batch.single.grade_one` in
the sandbox runner, like a submission graded with `python -m grader grade`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader.batch.manifest import normalize_timestamp

METADATA_SOURCE = "gradescope submission_metadata.json"


class MetadataError(ValueError):
    """submission_metadata.json is missing or unreadable: the submission cannot be attributed."""


@dataclass(frozen=True)
class GradescopeSubmission:
    student: str
    submitted_at: str | None     # ISO 8601 UTC
    due: str | None              # ISO 8601 UTC: the submitter's due date as Gradescope has it


def _time(value) -> str | None:
    if not value:
        return None
    try:
        return normalize_timestamp(str(value))
    except ValueError:
        raise MetadataError(f"submission_metadata.json: unreadable time {value!r}") from None


def read_metadata(path: str | Path) -> GradescopeSubmission:
    """The trusted facts of one submission from Gradescope's submission_metadata.json."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MetadataError(f"cannot read {path.name}: {exc}") from None
    users = raw.get("users") if isinstance(raw, dict) else None
    if not users or not isinstance(users[0], dict):
        raise MetadataError(f"{path.name} names no submitter (no 'users')")
    user = users[0]
    student = str(user.get("email") or user.get("id") or "").strip()
    if not student:
        raise MetadataError(f"{path.name}: the submitter has neither an email nor an id")
    own = user.get("assignment") if isinstance(user.get("assignment"), dict) else {}
    assignment = raw.get("assignment") if isinstance(raw.get("assignment"), dict) else {}
    return GradescopeSubmission(student=student, submitted_at=_time(raw.get("created_at")),
                                due=_time(own.get("due_date") or assignment.get("due_date")))


def grade_gradescope(submission_dir: str | Path, *, assignment, secret: bytes,
                     metadata_path: str | Path, runner_kind: str = "sandbox") -> dict:
    """Grade `submission_dir` and return the results.json document (grader.reports.gradescope)."""
    from grader.batch.single import grade_one
    from grader.reports.deadline import LatePolicy, parse_timestamp
    from grader.reports.gradescope import results_json

    facts = read_metadata(metadata_path)
    result = grade_one(submission_dir, assignment=assignment, secret=secret, student=facts.student,
                       runner_kind=runner_kind)
    result.submitted_at = facts.submitted_at
    policy = LatePolicy.of(assignment)
    if facts.due:
        policy = LatePolicy(due=parse_timestamp(facts.due), per_day=policy.per_day, cap=policy.cap)
    return results_json(result, assignment, policy=policy, withheld_by_gradescope=True)
