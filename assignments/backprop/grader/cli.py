"""The command line: a thin argparse front over the keyword-only Python API.

Each command lives beside the code it drives, in a module `grader/<package>/cli.py` that defines
`register(subparsers)`; it adds its parser and sets `func`, a callable taking the parsed args and
returning the exit code. The list below is the whole command set.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# (module, what it adds); a module that does not exist yet is skipped, so `--help` lists only
# commands that exist.
COMMAND_MODULES = (
    "grader.demo",            # demo
    "grader.release.cli",     # release
    "grader.batch.cli",       # grade
    "grader.runner.cli",      # doctor
    "grader.reports.cli",     # export, feedback
    "grader.reports.manual_cli",  # override, history
    "grader.student.cli",     # check, submit
    "grader.bench",           # bench
    "grader.mutants.cli",     # mutants
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Build releases, grade numpy backprop submissions in a sandbox, report.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue  # that command is not part of this build
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except ModuleNotFoundError as exc:  # a command module needs numpy: say so in one line
        if exc.name != "numpy":
            raise
        from grader.student.cli import NO_NUMPY
        print(NO_NUMPY.format(command="grader", python=sys.executable), file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
