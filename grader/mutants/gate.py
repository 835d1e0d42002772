"""The mutation gate: a course can require a kill rate before it ships a release.

The rate comes from `--min-kill-rate` or from the assignment's toml:

    [mutants]
    min_kill_rate = 0.9     # killed / non-equivalent mutants, 0..1

The hand-written bug catalogue (tests/bugs) stays a hard gate of its own: every catalogue bug
must be killed, whatever this rate.
"""

from __future__ import annotations

from pathlib import Path

from grader.assignment import tomllib  # tomllib, or tomli on Python 3.10


def configured_min_kill_rate(assignment) -> float | None:
    """`[mutants] min_kill_rate` of the assignment's toml, or None when it sets none."""
    with open(Path(assignment.root) / "assignment.toml", "rb") as handle:
        value = tomllib.load(handle).get("mutants", {}).get("min_kill_rate")
    if value is None:
        return None
    rate = float(value)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"{assignment.name}: [mutants] min_kill_rate must be within 0..1, not {value}")
    return rate


def shortfall(report, min_kill_rate: float) -> str | None:
    """Words for a report whose kill rate is below `min_kill_rate`, else None."""
    if report.kill_rate >= min_kill_rate:
        return None
    survivors = "\n  ".join(f"{o.mutant.id}: {o.mutant.what}" for o in report.survivors())
    return (f"kill rate {report.kill_rate:.3f} is below {min_kill_rate:g} "
            f"({len(report.survivors())} surviving mutant(s)):\n  {survivors}")
