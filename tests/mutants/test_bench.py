"""The mutation rows of `grader bench`: one real `grader mutants` run on the toy assignment,
timed under grader.proctree, and the flags of `bench` (no full mutation run here)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from grader.cli import main
from grader.mutants.bench import render_rows, time_mutants

TOY = Path(__file__).resolve().parents[1] / "checks" / "toy"

# A parent that leaves a grandchild behind, orphaned, which burns 0.5 s of its own CPU time.
ORPHAN_MAKER = ("import subprocess, sys; subprocess.Popen([sys.executable, '-c', "
                "'import time\\nwhile time.process_time() < 0.5: pass'])")


def _proctree(tmp_path: Path, command: list[str]) -> dict:
    out = tmp_path / "tree.json"
    subprocess.run([sys.executable, "-m", "grader.proctree", "--json", str(out), "--", *command],
                   check=True, timeout=120)
    return json.loads(out.read_text())


def test_proctree_counts_the_cpu_time_of_orphans_that_a_children_delta_misses(tmp_path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", ORPHAN_MAKER], check=True, timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    plain = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert plain < 0.5   # the orphan went to another reaper

    tree = _proctree(tmp_path, [sys.executable, "-c", ORPHAN_MAKER])
    assert tree["subreaper"] and tree["returncode"] == 0
    assert tree["orphans"] == 1 and not tree["orphans_left"]
    assert tree["cpu_s"] >= 0.5
    assert abs(tree["cpu_s"] - tree["user_s"] - tree["system_s"]) < 1e-9


def test_proctree_passes_the_commands_exit_status_on(tmp_path):
    tree = _proctree(tmp_path, [sys.executable, "-c", "raise SystemExit(3)"])
    assert tree["returncode"] == 3 and tree["orphans"] == 0


def test_a_timed_mutants_run_reports_its_totals_command_and_whole_tree_cpu():
    row = time_mutants(TOY, workers=1)
    assert row["command"] == (f"python -m grader mutants --assignment {TOY} --workers 1 "
                              "--no-progress --no-diffs")
    assert row["assignment"] == "toy" and row["total"] > 0
    assert row["total"] == row["killed"] + row["survived"] + row["equivalent"]
    assert row["kill_rate"] == row["killed"] / (row["total"] - row["equivalent"])
    assert row["subreaper"] and not row["orphans_left"]
    assert row["wall_s"] > 0 and row["cpu_s"] > 0
    table = render_rows([row])
    assert f"| toy | `{row['command']}` | {row['total']} | {row['killed']} |" in table
    assert f"| {row['cpu_s']:.1f} | {row['orphans']} |" in table


def _row(**changes) -> dict:
    row = {"assignment": "a", "command": "python -m grader mutants --assignment a", "total": 10,
           "killed": 7, "survived": 1, "equivalent": 2, "kill_rate": 7 / 8, "wall_s": 12.34,
           "cpu_s": 23.45, "orphans": 3, "subreaper": True, "orphans_left": False}
    return {**row, **changes}


def test_the_table_shows_rates_and_warns_when_cpu_misses_part_of_a_tree():
    table = render_rows([_row(), _row(assignment="b", total=0, killed=0, survived=0,
                                      equivalent=0, kill_rate=None, orphans=0)])
    assert ("| a | `python -m grader mutants --assignment a` | 10 | 7 | 2 | 1 | 87.5% | 12.3 "
            "| 23.4 | 3 |") in table
    assert "| b |" in table and "| n/a |" in table
    assert "PR_SET_CHILD_SUBREAPER" not in table and "not counted" not in table
    assert "PR_SET_CHILD_SUBREAPER) failed" in render_rows([_row(subreaper=False)])
    assert "not counted" in render_rows([_row(orphans_left=True)])


def test_bench_runs_the_mutants_unless_told_not_to(monkeypatch):
    calls = []
    monkeypatch.setattr("grader.bench.run_bench", lambda **kw: calls.append(kw) or {"ok": 1})
    assert main(["bench", "--output", "x.md"]) == 0
    assert main(["bench", "--output", "x.md", "--no-mutants", "--mutants-limit", "2"]) == 0
    assert calls[0]["mutants"] is True and calls[0]["mutants_limit"] is None
    assert calls[1]["mutants"] is False and calls[1]["mutants_limit"] == 2
