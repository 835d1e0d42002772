"""Synthetic graded results for the report tests (until a real graded class is at hand, and to
plant what a real one cannot: a hidden check whose message quotes its input and code).

Every task of the assignment gets a visible and a hidden check of half its points each, and the
last task an extra after_due_date check. Students are described by `PROFILES`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from grader.checks.results import CheckResult, SubmissionResult

#: The backprop assignment is due 2026-12-15T23:59Z: a moment before and one after.
BEFORE_DUE = datetime(2026, 12, 1, tzinfo=timezone.utc)
AFTER_DUE = datetime(2027, 1, 1, tzinfo=timezone.utc)

#: Values planted in hidden checks' messages; none may appear in any feedback page.
PLANTED_INPUT = "0.7318290345"
PLANTED_SOURCE = "dw = x.T @ dout * 31.4159  # planted hidden check line"
PLANTED_EXPECTED = "expected 42.4242424242"

DIAGNOSES = ("transposed", "scaled:1/N", "sign_flipped", "zeros", "missing_batch_sum")


def _checks(assignment, profile: str, student_index: int) -> list[CheckResult]:
    checks = []
    for i, task in enumerate(assignment.tasks):
        half = task.points / 2
        kinds = [("visible", half), ("hidden", half)]
        if i == len(assignment.tasks) - 1:
            kinds = [("visible", half), ("hidden", half / 2), ("after_due_date", half / 2)]
        for visibility, points in kinds:
            check_id = f"{task.id}_{visibility}"
            fails = profile == "stub" or (profile == "buggy" and (i + student_index) % 3 == 0)
            if profile == "reference" or not fails:
                checks.append(CheckResult(check_id, task.id, "passed", points, points, visibility,
                                          "matches the reference", None,
                                          {"dx": 1e-10}, {"dx": 1e-7}))
            elif profile == "stub":
                checks.append(CheckResult(check_id, task.id, "not_implemented", 0.0, points,
                                          visibility, f"{task.id} raises NotImplementedError"))
            else:
                message = "dw does not match the numerical gradient"
                if visibility != "visible":
                    message += (f" on input x = {PLANTED_INPUT}; {PLANTED_EXPECTED}; "
                                f"check code: {PLANTED_SOURCE}")
                checks.append(CheckResult(check_id, task.id, "failed", 0.0, points, visibility,
                                          message, DIAGNOSES[(i + student_index) % len(DIAGNOSES)],
                                          {"dw": 0.73}, {"dw": 1e-7}))
    return checks


def make_result(assignment, student: str, profile: str, *, index: int = 0,
                submitted_at: str | None = "2026-12-01T10:00:00+00:00") -> SubmissionResult:
    """profile: reference | stub | buggy | error | timeout."""
    if profile in ("error", "timeout"):
        return SubmissionResult(assignment.name, student, f"hash-{student}", [], profile,
                                "corrupt zip" if profile == "error" else "grading took over 120 s",
                                "2026-12-16T00:00:00+00:00", 1.0, submitted_at)
    return SubmissionResult(assignment.name, student, f"hash-{student}",
                            _checks(assignment, profile, index), "graded", "",
                            "2026-12-16T00:00:00+00:00", 2.5, submitted_at)


PROFILES = (
    ("alice", "reference", "2026-12-01T10:00:00+00:00"),
    ("bob", "buggy", "2026-12-15T12:00:00+00:00"),
    ("carol", "buggy", "2026-12-17T11:59:00+00:00"),   # 1.5 days late -> 2 days
    ("dave", "stub", "2026-12-10T09:00:00+00:00"),
    ("erin", "error", None),
    ("frank", "timeout", "2026-12-02T00:00:00+00:00"),
    ("grace", "buggy", "2027-01-30T00:00:00+00:00"),   # far late: capped
)


def make_class(assignment) -> list[SubmissionResult]:
    return [make_result(assignment, s, p, index=i, submitted_at=t)
            for i, (s, p, t) in enumerate(PROFILES)]
