"""`python -m grader mutants [--assignment A] [--task T]`: mutation testing of the checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.mutants.operators import OPERATORS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "mutants", help="grade one-fault mutants of the solutions: do the checks catch them?",
        description="Generate mutants of every solution region (numpy backpropagation operators), grade "
                    "each with the checks that run its code (visible, hidden, after due) in the "
                    "sandboxed pool, and report the kill rate per task and per operator, every "
                    "surviving mutant with its diff, and the equivalent mutants apart. Writes "
                    "<out>/<assignment>-mutants.html. Exit 1 when the kill rate is below "
                    "--min-kill-rate.")
    parser.add_argument("--assignment", action="append", default=None, metavar="A",
                        help="assignment name or folder (repeatable; default: every one under solutions/)")
    parser.add_argument("--task", action="append", default=None, metavar="T",
                        help="only mutants of this task id (repeatable)")
    parser.add_argument("--operator", action="append", default=None, choices=sorted(OPERATORS),
                        help="only mutants of this operator (repeatable)")
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="at most N mutants per task and operator, evenly spread")
    parser.add_argument("--workers", type=int, default=None, help="pool size (default: cores)")
    parser.add_argument("--runner", choices=("sandbox", "subprocess"), default="sandbox")
    parser.add_argument("--out", type=Path, default=Path("reports"),
                        help="folder of the HTML page, beside the class overview (default: reports)")
    parser.add_argument("--min-kill-rate", type=float, default=None, metavar="R",
                        help="fail (exit 1) when killed / non-equivalent mutants is below R (0..1)")
    parser.add_argument("--no-diffs", action="store_true", help="terminal report without diffs")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def _assignments(names):
    if names:
        return names
    from grader.assignment import find_solutions_root
    return sorted(p.parent.name for p in find_solutions_root().glob("*/assignment.toml"))


def run(args: argparse.Namespace) -> int:
    from grader.assignment import load_assignment
    from grader.mutants.report import format_report, write_html
    from grader.mutants.run import run_mutants

    status = 0
    for name in _assignments(args.assignment):
        assignment = load_assignment(name)
        tasks = [t for t in args.task if t.split("/")[0] == assignment.name] if args.task else None
        if args.task and not tasks:
            continue
        try:
            report = run_mutants(assignment, tasks=tasks, operators=args.operator,
                                 limit=args.limit, workers=args.workers, runner_kind=args.runner,
                                 progress=not args.no_progress)
        except ValueError as error:
            print(f"mutants: {error}", file=sys.stderr)
            return 2
        print(format_report(report, diffs=not args.no_diffs))
        print(f"report: {write_html(report, args.out)}")
        if args.min_kill_rate is not None and report.kill_rate < args.min_kill_rate:
            print(f"mutants: {assignment.name}: kill rate {report.kill_rate:.3f} is below "
                  f"--min-kill-rate {args.min_kill_rate}", file=sys.stderr)
            status = 1
    return status
