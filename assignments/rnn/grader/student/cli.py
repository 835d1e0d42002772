"""`python -m grader check` and `python -m grader submit --student ID`, run from the assignment
folder of the release. Student-safe: standard library only at import time."""

from __future__ import annotations

from pathlib import Path

from grader.student.layout import LayoutError


def _run_check(args) -> int:
    from grader.student.check import main

    return main(args.dir)


def _run_submit(args) -> int:
    from grader.student.submit import main

    try:
        return main(args.dir, student=args.student, out=args.out)
    except LayoutError as exc:
        print(f"submit: {exc}")
        return 2


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="run the public checks on your modules")
    parser.add_argument("--dir", type=Path, default=None,
                        help="the assignment folder (default: the current folder or above)")
    parser.set_defaults(func=_run_check)
    parser = subparsers.add_parser("submit", help="validate your modules and write submission.zip")
    parser.add_argument("--student", required=True, help="your student id")
    parser.add_argument("--dir", type=Path, default=None,
                        help="the assignment folder (default: the current folder or above)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write the zip (default: <folder>/submission.zip)")
    parser.set_defaults(func=_run_submit)
