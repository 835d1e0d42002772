"""What a batch did, as numbers and as the lines printed at its end."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class BatchSummary:
    """Counts of one batch run. `mean_score` / `mean_max` are the mean final score and maximum
    over every student of the batch (graded now or earlier), in points, as the feedback pages,
    exports and overview count them today (grader.reports.grades); `problems` are
    "student: message" lines for the TA."""

    assignment: str
    discovered: int = 0
    graded: int = 0             # status "graded" in this run
    skipped: int = 0            # already in the gradebook (same files)
    errors: int = 0             # status "error": could not be graded (corrupt zip, ...)
    timeouts: int = 0           # status "timeout"
    internal_errors: int = 0    # our bug: raised in the grader, printed, recorded as "error"
    superseded: int = 0         # older submissions of a student who handed in several
    mean_score: float | None = None
    mean_max: float | None = None
    duration_s: float = 0.0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # every student of the batch whose checks could not run (grader.batch.outcome kinds: did not
    # import, missing, refused, timed out, could not be graded), graded now or by an earlier run
    outcomes: dict[str, list[str]] = field(default_factory=dict)

    def add_outcomes(self, results) -> None:
        """Fill `outcomes` from the latest result of each student of the batch."""
        from grader.batch.outcome import KINDS, outcome
        found: dict[str, list[str]] = {}
        for result in results:
            problem = outcome(result)
            if problem is not None:
                found.setdefault(problem.kind, []).append(result.student)
        self.outcomes = {k: sorted(found[k]) for k in KINDS if k in found}

    @property
    def recorded(self) -> int:
        return self.graded + self.errors + self.timeouts + self.internal_errors

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self, *, max_problems: int = 20) -> str:
        rate = f" ({self.duration_s / self.recorded:.2f} s per submission)" if self.recorded else ""
        lines = [f"{self.assignment}: {self.discovered} submissions in {self.duration_s:.1f} s{rate}",
                 f"  graded {self.graded}, skipped {self.skipped} (already graded), "
                 f"errors {self.errors}, timeouts {self.timeouts}"]
        if self.superseded:
            lines.append(f"  superseded {self.superseded} (older submissions of the same student)")
        if self.internal_errors:
            lines.append(f"  INTERNAL ERRORS {self.internal_errors}: grader bugs, recorded as "
                         "errors and graded again on the next run; tracebacks above")
        if self.outcomes:
            count = sum(len(v) for v in self.outcomes.values())
            lines.append(f"  NOT GRADED IN FULL {count} (this run and earlier ones):")
            for kind, students in self.outcomes.items():
                shown = ", ".join(students[:max_problems])
                more = f", ... and {len(students) - max_problems} more" \
                    if len(students) > max_problems else ""
                lines.append(f"    {kind} {len(students)}: {shown}{more}")
        if self.mean_score is not None and self.mean_max:
            lines.append(f"  mean final score {self.mean_score:.2f} / {self.mean_max:.2f} "
                         f"({100 * self.mean_score / self.mean_max:.1f}%)")
        for note in self.notes[:max_problems]:
            lines.append(f"  - {note}")
        for problem in self.problems[:max_problems]:
            lines.append(f"  ! {problem}")
        if len(self.problems) > max_problems:
            lines.append(f"  ! ... and {len(self.problems) - max_problems} more")
        return "\n".join(lines)
