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
import os
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
    "new": "grader.scaffold.cli",
    "calibrate": "grader.checks.calibrate_cli",
}


def _command_modules(argv: list[str]) -> list[str]:
    """The modules to import for `argv`: the named command's alone, or all (for help/errors)."""
    if argv and argv[0] in COMMANDS and _in_this_build(COMMANDS[argv[0]]):
        return [COMMANDS[argv[0]]]
    return list(dict.fromkeys(COMMANDS.values()))


def _in_this_build(module: str) -> bool:
    """Whether `module` ("grader.x.y") is a file of this package. Asked of the files, not of the
    import system: in a release folder run with the course's `.venv` Python, the editable
    install's finder would supply the checkout's modules that the release does not vendor."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), *module.split(".")[1:])
    return os.path.isfile(path + ".py") or os.path.isfile(os.path.join(path, "__init__.py"))


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv` (default: every command, as `--help` shows them)."""
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Build releases, grade numpy backpropagation submissions in a sandbox, report.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules(list(argv or [])):
        if not _in_this_build(name):
            continue
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
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except ModuleNotFoundError as exc:  # a dependency this Python lacks: say so in one line
        message = missing_dependency(exc, command=argv[0] if argv else "grader")
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 2


NOT_INSTALLED = ("python -m grader {command}: {module} is not installed for this Python "
                 "({python}); run `make install` in the course checkout and use its "
                 "`.venv/bin/python -m grader ...` (or `. .venv/bin/activate` first)")


def missing_dependency(exc: ModuleNotFoundError, *, command: str) -> str | None:
    """The one line for a third-party module this Python lacks; None for a module of our own
    (that is our bug, and its traceback must show)."""
    top = (exc.name or "").split(".")[0]
    if not top or top == "grader":
        return None
    if top == "numpy":
        from grader.student.cli import NO_NUMPY
        return NO_NUMPY.format(command=command, python=sys.executable)
    return NOT_INSTALLED.format(command=command, module=top, python=sys.executable)


if __name__ == "__main__":
    sys.exit(main())
