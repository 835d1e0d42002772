"""The command line: a thin argparse front over the keyword-only Python API.

Each command lives beside the code it drives, in a module `grader/<package>/cli.py` that defines
`register(subparsers)`; it adds its parser and sets `func`, a callable taking the parsed args and
returning the exit code. `COMMANDS` below is the whole command set.

Cold start: a command imports only its own module. `python -m grader grade FILE` never loads
the release pipeline (nbformat, nbgrader), and the student's `check` loads numpy and the
vendored checks only; `--help` (or an unknown command) imports every command module to list them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# command -> the module that registers it. A module that does not exist in this build (the
# student release vendors only the student commands) is skipped, so `--help` lists only
# commands that exist.
COMMANDS = {
    "demo": "grader.demo",
    "release": "grader.release.cli",
    "grade": "grader.batch.cli",
    "doctor": "grader.runner.cli",
    "export": "grader.reports.cli",
    "feedback": "grader.reports.cli",
    "override": "grader.reports.manual_cli",
    "history": "grader.reports.manual_cli",
    "check": "grader.student.cli",
    "submit": "grader.student.cli",
    "bench": "grader.bench",
    "mutants": "grader.mutants.cli",
}


def _command_modules(argv: list[str]) -> list[str]:
    """The modules to import for `argv`: the named command's alone, or all (for help/errors)."""
    if argv and argv[0] in COMMANDS:
        return [COMMANDS[argv[0]]]
    return list(dict.fromkeys(COMMANDS.values()))


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv` (default: every command, as `--help` shows them)."""
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Build releases, grade numpy backprop submissions in a sandbox, report.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules(list(argv or [])):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue  # that command is not part of this build
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser(argv)
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
