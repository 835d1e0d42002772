"""`python -m grader calibrate [ASSIGNMENT...]`: run each assignment's behaviour calibrations
(its calibration.py) against its reference with the TIGHTER thresholds in place
(`grader.checks.calibration.calibrate`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "calibrate", help="run solutions/<a>/calibration.py: every behaviour a hidden check runs, "
                          "against the reference, on many seeds, with the TIGHTER thresholds",
        description="For each CALIBRATIONS entry of solutions/<a>/calibration.py, run the "
                    "scenario against the reference modules in process on seeds 0..N-1 with "
                    "every TIGHTER value in place; print each failure, exit 1 if any.")
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                        help="assignment names under solutions/ (default: all)")
    parser.add_argument("--seeds", type=int, default=25, help="seeds per scenario (default 25)")
    parser.add_argument("--repo", type=Path, default=None,
                        help="course checkout holding solutions/ (default: this one)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from grader.checks.calibration import calibrate, load_calibrations

    started = time.perf_counter()
    solutions = (args.repo or Path(__file__).resolve().parents[2]) / "solutions"
    known = sorted(p.parent.name for p in solutions.glob("*/assignment.toml"))
    unknown = sorted(set(args.assignments) - set(known))
    if unknown:
        print(f"calibrate: no assignment {unknown} under {solutions}", file=sys.stderr)
        return 2
    if args.seeds < 1:
        print("calibrate: --seeds must be at least 1", file=sys.stderr)
        return 2
    failed = 0
    for name in args.assignments or known:
        count = len(load_calibrations(solutions / name).calibrations)
        failures = calibrate(solutions / name, seeds=args.seeds)
        failed += bool(failures)
        for line in failures:
            print(f"{name}: {line}", file=sys.stderr)
        if not failures:
            print(f"{name}: {count} behaviour(s) x {args.seeds} seeds pass with the TIGHTER "
                  "thresholds")
    print(f"calibrate: {len(args.assignments or known)} assignment(s), {failed} failing, "
          f"in {time.perf_counter() - started:.1f} s")
    return 1 if failed else 0
