"""Report arithmetic and wording, on hand-made outcomes (no grading)."""

from __future__ import annotations

from grader.mutants.generate import Mutant
from grader.mutants.report import format_report, parse_summaries, view
from grader.mutants.run import MutantsReport, Outcome, spread


def _mutant(i: int, task: str, operator: str) -> Mutant:
    return Mutant(id=f"layers.f:{i}:{operator}:0", module="layers", function="f", task=task,
                  operator=operator, what=f"edit {i}", line=i, source="", diff=f"-old {i}\n+new {i}\n")


def _report() -> MutantsReport:
    outcomes = [
        Outcome(_mutant(1, "a/f", "sign"), "killed", killed_by=["a/f_values"]),
        Outcome(_mutant(2, "a/f", "sign"), "survived", ran_on=["a/f_values"],
                closest=("a/f_values", 3e-9, "mutants-probe-1")),
        Outcome(_mutant(3, "a/f", "constant"), "equivalent", ran_on=["a/f_values"]),
        Outcome(_mutant(4, "a/g", "constant"), "killed", killed_by=["a/g_values"]),
    ]
    return MutantsReport(assignment="a", outcomes=outcomes, broken_checks=[],
                         tasks=["a/f", "a/g", "a/h"])


def test_kill_rate_leaves_equivalent_mutants_out():
    report = _report()
    assert report.kill_rate == 2 / 3
    assert report.by_task() == {"a/f": (1, 2, 1), "a/g": (1, 1, 0), "a/h": (0, 0, 0)}
    assert report.by_operator() == {"constant": (1, 1, 1), "sign": (1, 2, 0)}
    assert [o.mutant.line for o in report.survivors()] == [2]


def test_terminal_report_lists_every_task_and_explains_each_survivor():
    text = format_report(_report())
    assert "4 graded, 2 killed, 1 survived, 1 equivalent; kill rate 66.7%" in text
    assert "a/h" in text and "n/a" in text
    assert "SURVIVED layers.f:2:sign:0: edit 2" in text
    assert "ran on: a/f_values" in text and "relative error of 3e-09" in text
    assert "+new 2" in text and "+new 1" not in text
    assert [s["id"] for s in view(_report())["equivalents"]] == ["layers.f:3:constant:0"]


def test_the_summary_line_reads_back_as_the_reports_totals():
    text = format_report(_report()) + "\n" + format_report(_report(), diffs=False)
    totals = {"assignment": "a", "total": 4, "killed": 2, "survived": 1, "equivalent": 1}
    assert parse_summaries(text) == [totals, totals]
    assert parse_summaries("SURVIVED layers.f:2:sign:0: edit 2") == []


def test_spread_keeps_at_most_limit_evenly():
    assert spread(list(range(10)), None) == list(range(10))
    assert spread(list(range(10)), 3) == [0, 3, 6]
    assert spread([1, 2], 5) == [1, 2]
