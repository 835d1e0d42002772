"""Gates on what the release built: the reference scores full marks, the stubs score zero.

Both grade through the real path (`grade_submission` with the plain subprocess runner), every
check hidden ones included:
- solutions/<a>/ must pass every check with full points: a check that fails the reference is
  a bug in the check, and shipping it would fail correct students;
- the student folder as built (stubs, given code) must import and every check must end
  `not_implemented` with score 0: anything else means a stub leaks marks or a check crashes.
The leak scan, the third gate, lives in `grader.release.leakscan`. The mutation gate
(`mutant_gate`, on request: `--min-kill-rate` or `[mutants] min_kill_rate` in assignment.toml)
requires the checks to kill that share of the non-equivalent mutants (grader.mutants).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from grader.release.build import Build, ReleaseError

GATE_STUDENT = "release-gate"
GATE_SECRET = b"release-gate: inputs for the hidden checks, not a course secret"


def _grade(build: Build, submission: Path):
    from grader.checks.grade import grade_submission
    from grader.runner import make_runner_factory

    return grade_submission(submission, assignment=build.assignment, student_id=GATE_STUDENT,
                            secret=GATE_SECRET, runner_factory=make_runner_factory("subprocess"))


def _require(result, bad: list, failure: str) -> None:
    """ReleaseError(failure, with one line per bad check) unless the submission was graded,
    has checks, and none of them is bad."""
    if result.status != "graded" or bad or not result.checks:
        lines = [f"{r.check_id} ({r.task}): {r.status}, {r.score:g}/{r.max_score:g}: {r.message}"
                 for r in bad]
        raise ReleaseError(f"{failure} ({result.status}: {result.message})\n  " + "\n  ".join(lines))


def reference_gate(build: Build) -> None:
    result = _grade(build, build.assignment.root)
    _require(result, [r for r in result.checks if r.status != "passed" or r.score != r.max_score],
             f"reference gate: solutions/{build.name} does not score full marks")
    build.notes.append(f"reference gate: {len(result.checks)} check(s) at full marks")


def write_files(files: dict[str, bytes], folder: Path) -> None:
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def stub_gate(build: Build) -> None:
    with tempfile.TemporaryDirectory(prefix=f"release-{build.name}-") as tmp:
        write_files(build.files, Path(tmp))
        result = _grade(build, Path(tmp))
    _require(result, [r for r in result.checks if r.status != "not_implemented" or r.score != 0],
             f"stub gate: the stubs of {build.name} must score 0 with every check not_implemented")
    build.notes.append(f"stub gate: {len(result.checks)} check(s) not_implemented, score 0")


def mutant_gate(build: Build, min_kill_rate: float) -> None:
    from grader.mutants.gate import shortfall
    from grader.mutants.run import run_mutants

    report = run_mutants(build.assignment, progress=False)
    problem = shortfall(report, min_kill_rate)
    if problem:
        raise ReleaseError(f"mutant gate: {build.name}: {problem}")
    build.notes.append(f"mutant gate: kill rate {report.kill_rate:.3f} >= {min_kill_rate:g} "
                       f"({len(report.outcomes)} mutants)")
