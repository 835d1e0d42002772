"""The mutation-testing rows of BENCHMARKS.md: `grader mutants` on each assignment, timed as run.

    time_mutants(assignment, *, workers, limit=None) -> row;  render_rows(rows) -> Markdown

Each assignment gets one `python -m grader mutants --assignment A --workers N --no-progress
--no-diffs` (plus `--limit L` when asked), started from a temporary folder (its HTML page lands
there, in reports/, and goes with it) under `python -m grader.proctree`, which measures the wall
time and the CPU time of the whole process tree, orphans included. The totals come from the
command's own terminal report (grader.mutants.report.parse_summaries).
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.mutants.report import parse_summaries


def command(assignment, *, workers: int, limit: int | None = None) -> list[str]:
    """The arguments after `python -m grader` of one timed run."""
    args = ["mutants", "--assignment", str(assignment), "--workers", str(workers),
            "--no-progress", "--no-diffs"]
    return args + (["--limit", str(limit)] if limit is not None else [])


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def time_mutants(assignment, *, workers: int, limit: int | None = None) -> dict:
    """Run and time `grader mutants` on one assignment (a name or a folder); its row.

    Raises RuntimeError (with the command's stderr) when the run fails or prints no report.
    """
    args = command(assignment, workers=workers, limit=limit)
    shown = "python -m grader " + shlex.join(args)
    with tempfile.TemporaryDirectory(prefix="grader-bench-mutants-") as tmp:
        tree_file = Path(tmp) / "tree.json"
        run = subprocess.run([sys.executable, "-m", "grader.proctree", "--json", str(tree_file),
                              "--", sys.executable, "-m", "grader", *args],
                             cwd=tmp, capture_output=True, text=True)
        if run.returncode != 0 or not tree_file.is_file():
            raise RuntimeError(f"timing `{shown}` failed:\n{_tail(run.stderr)}")
        tree = json.loads(tree_file.read_text())
    if tree["returncode"] != 0:
        raise RuntimeError(f"`{shown}` exited with status {tree['returncode']}:\n"
                           f"{_tail(run.stderr)}")
    summaries = parse_summaries(run.stdout)
    if len(summaries) != 1:
        raise RuntimeError(f"`{shown}` printed {len(summaries)} mutants reports, expected 1:\n"
                           f"{_tail(run.stdout)}")
    totals = summaries[0]
    counted = totals["total"] - totals["equivalent"]
    return {"command": shown, **totals,
            "kill_rate": totals["killed"] / counted if counted else None,
            "wall_s": tree["wall_s"], "cpu_s": tree["cpu_s"], "orphans": tree["orphans"],
            "subreaper": tree["subreaper"], "orphans_left": tree["orphans_left"]}


def render_rows(rows: list[dict]) -> str:
    """The Markdown table of the timed runs, and a warning for any CPU figure that misses part
    of its tree."""
    lines = ["| assignment | command | mutants | killed | equivalent | survived | kill rate "
             "(killed / non-equivalent) | wall s | CPU s, whole tree "
             "| orphans reaped and counted |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        rate = f"{100 * r['kill_rate']:.1f}%" if r["kill_rate"] is not None else "n/a"
        lines.append(f"| {r['assignment']} | `{r['command']}` | {r['total']} | {r['killed']} | "
                     f"{r['equivalent']} | {r['survived']} | {rate} | {r['wall_s']:.1f} | "
                     f"{r['cpu_s']:.1f} | {r['orphans']} |")
    if any(not r["subreaper"] for r in rows):
        lines += ["", "**prctl(PR_SET_CHILD_SUBREAPER) failed on this machine: the CPU figures "
                      "miss every orphaned process and what it reaped.**"]
    if any(r["orphans_left"] for r in rows):
        lines += ["", "**Some orphans still ran 60 s after their command exited: their CPU time "
                      "is not counted.**"]
    return "\n".join(lines)
