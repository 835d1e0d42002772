"""The mutation report: a terminal summary and an HTML page (next to the class overview).

    format_report(report) -> str;  write_html(report, out_dir) -> Path (<a>-mutants.html)
    parse_summaries(text) -> [{assignment, total, killed, survived, equivalent}] (from
        format_report's first lines, as `grader bench` reads a `grader mutants` run)

What the page shows is decided here (`view`); the template (grader/reports/templates/
mutants.html.j2) only renders it.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.mutants.run import MutantsReport, Outcome


def _rate(killed: int, counted: int) -> str:
    return f"{100.0 * killed / counted:.1f}%" if counted else "n/a"


def _rows(rates: dict) -> list[dict]:
    return [dict(name=name, killed=k, counted=n, equivalent=e, rate=_rate(k, n))
            for name, (k, n, e) in rates.items()]


def closest_words(outcome: Outcome) -> str:
    if outcome.closest is None:
        return "no output to compare with the reference's"
    check, deviation, probe = outcome.closest
    return (f"{check}: its outputs differ from the reference's by a relative error of "
            f"{deviation:.2g} (probe {probe})")


def _mutant_row(outcome: Outcome) -> dict:
    m = outcome.mutant
    return dict(id=m.id, what=m.what, task=m.task, operator=m.operator, diff=m.diff,
                ran_on=outcome.ran_on, closest=closest_words(outcome), note=outcome.note)


def view(report: MutantsReport) -> dict:
    verdicts = [o.verdict for o in report.outcomes]
    return dict(assignment=report.assignment, total=len(verdicts),
                killed=verdicts.count("killed"), survived=verdicts.count("survived"),
                equivalent=verdicts.count("equivalent"),
                kill_rate=_rate(verdicts.count("killed"), len(verdicts) - verdicts.count("equivalent")),
                duration=f"{report.duration_s:.0f} s", broken_checks=report.broken_checks,
                tasks=_rows(report.by_task()), operators=_rows(report.by_operator()),
                survivors=[_mutant_row(o) for o in report.survivors()],
                equivalents=[_mutant_row(o) for o in report.outcomes if o.verdict == "equivalent"])


def _table(title: str, rows: list[dict]) -> list[str]:
    width = max([len(title)] + [len(r["name"]) for r in rows])
    lines = [f"{title:<{width}}  killed/non-equiv  equiv  rate"]
    lines += [f"{r['name']:<{width}}  {r['killed']:>6}/{r['counted']:<9} {r['equivalent']:>5}  "
              f"{r['rate']:>6}" for r in rows]
    return lines


#: The first line of format_report, as parse_summaries reads it back.
SUMMARY = re.compile(r"^mutants of (?P<assignment>.+?): (?P<total>\d+) graded, (?P<killed>\d+) "
                     r"killed, (?P<survived>\d+) survived, (?P<equivalent>\d+) equivalent; ",
                     re.MULTILINE)


def parse_summaries(text: str) -> list[dict]:
    """The totals of every report in `text` (the output of `grader mutants`), in order."""
    return [{"assignment": m["assignment"],
             **{k: int(m[k]) for k in ("total", "killed", "survived", "equivalent")}}
            for m in SUMMARY.finditer(text)]


def format_report(report: MutantsReport, *, diffs: bool = True) -> str:
    """The terminal report: totals, the per-task and per-operator tables, each survivor."""
    v = view(report)
    lines = [f"mutants of {v['assignment']}: {v['total']} graded, {v['killed']} killed, "
             f"{v['survived']} survived, {v['equivalent']} equivalent; kill rate "
             f"{v['kill_rate']} of the non-equivalent ({v['duration']})"]
    if v["broken_checks"]:
        lines.append("checks failing on the reference (not counted): " + ", ".join(v["broken_checks"]))
    lines += ["", *_table("task", v["tasks"]), "", *_table("operator", v["operators"])]
    for s in v["survivors"]:
        lines += ["", f"SURVIVED {s['id']}: {s['what']}" + (f" ({s['note']})" if s["note"] else ""),
                  f"  ran on: {', '.join(s['ran_on']) or 'no check'}", f"  closest: {s['closest']}"]
        if diffs:
            lines += ["  " + line for line in s["diff"].rstrip("\n").splitlines()]
    return "\n".join(lines)


def write_html(report: MutantsReport, out_dir) -> Path:
    from grader.reports.render import render
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{report.assignment}-mutants.html"
    path.write_text(render("mutants.html.j2", view=view(report)), encoding="utf-8")
    return path
