"""`python -m grader check` and `python -m grader submit --student ID`, run from the assignment
folder of the release. Student-safe: standard library only at import time."""

from __future__ import annotations

from pathlib import Path

from grader.student.layout import LayoutError


NO_NUMPY = ("{command}: numpy is not installed for this Python ({python}); install it with "
            "`{python} -m pip install numpy` (or `-r requirements.txt`) and run again")


def _numpy_missing(command: str, exc: ModuleNotFoundError) -> int:
    import sys
    if exc.name != "numpy":
        raise exc
    print(NO_NUMPY.format(command=command, python=sys.executable), file=sys.stderr)
    return 2


def _run_check(args) -> int:
    import sys
    try:
        from grader.student.check import main
    except ModuleNotFoundError as exc:
        return _numpy_missing("check", exc)
    try:
        return main(args.dir, tasks=args.tasks)
    except LayoutError as exc:
        print(f"check: {exc}", file=sys.stderr)
        return 2


def _run_submit(args) -> int:
    import sys
    from grader.student.submit import main

    try:
        return main(args.dir, student=args.student, out=args.out, force=args.force)
    except LayoutError as exc:
        print(f"submit: {exc}", file=sys.stderr)
        return 2


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check", help="run the public checks on your modules",
        description="Run the assignment's public checks on your modules (in a separate process) "
                    "and explain each failure: the relative errors against their thresholds and "
                    "the likely bug in plain words. Name tasks to check only those.")
    parser.add_argument("tasks", nargs="*", metavar="TASK",
                        help="only these tasks (ids, or short names such as a function name); default: every task")
    parser.add_argument("--dir", type=Path, default=None,
                        help="the assignment folder (default: the current folder or above)")
    parser.set_defaults(func=_run_check)
    parser = subparsers.add_parser(
        "submit", help="validate your modules and write submission.zip",
        description="Check that every module imports and defines its functions, list the tasks "
                    "still unimplemented (refusing unless --force), then write submission.zip "
                    "with a manifest of the files' hashes.")
    parser.add_argument("--student", required=True, help="your student id")
    parser.add_argument("--dir", type=Path, default=None,
                        help="the assignment folder (default: the current folder or above)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write the zip (default: <folder>/submission.zip)")
    parser.add_argument("--force", action="store_true",
                        help="submit even though some tasks are not implemented yet")
    parser.set_defaults(func=_run_submit)
