"""grader/ knows no assignment by name (issue 13): no framework module's code names an
assignment, one of its modules or one of its student functions. The names come from
solutions/*/assignment.toml, so a new assignment is covered without editing this test.

What is searched: the identifiers and string literals of every grader/**/*.py, that is what the
code does. Docstrings and comments are not: an example in prose ("e.g. a task id
'<assignment>/affine_backward'") is documentation, not knowledge the framework acts on.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.release.pipeline import assignment_names, repo_root

REPO = repo_root()

#: Generic words that are also the name of some assignment's module; each with its reason.
GENERIC_WORDS = {
    # CS231n's module name, which grader/runner/compat.py maps (`cs231n.layers`) for every
    # course, and the plain English word for what students implement.
    "layers",
}

#: Framework files allowed to name an assignment for now, each with its reason (report them).
ALLOWED_FILES = {
    # The feedback page's experiments (deep sigmoid net, dead ReLUs, RNN through time, clipping
    # vs Huber): still framework-side (and their figure settings in grader/reports/plots.py), to move beside the solutions
    # as a per-assignment plots module (issue 13, follow-up).
    "grader/checks/curves.py": "feedback-plot experiments not yet moved beside the solutions",
    # Benchmarks: BENCHMARKS.md's rows are measured on the first bundled assignment's demo
    # class and release folder, and say so.
    "grader/bench.py": "benchmarks one named bundled assignment",
    "grader/coldstart.py": "cold-start figures of one named bundled release folder",
}


def _names() -> set[str]:
    names = set()
    for name in assignment_names(REPO):
        a = load_assignment(REPO / "solutions" / name)
        names.add(a.name)
        names.update(a.modules)
        names.update(f.split(".", 1)[1] for task in a.tasks for f in task.functions)
    return names - GENERIC_WORDS


def _code_words(source: str) -> list[tuple[int, str]]:
    """(line, text) of each identifier and string literal that is not a docstring."""
    out, previous = [], None
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME:
            out.append((tok.start[0], tok.string))
        elif tok.type == tokenize.STRING:
            docstring = previous in (None, tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE)
            if not docstring:
                out.append((tok.start[0], tok.string))
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            previous = tok.type
    return out


def _hits(path: Path, pattern: re.Pattern) -> list[str]:
    found = []
    for line, text in _code_words(path.read_text(encoding="utf-8")):
        for match in pattern.finditer(text):
            found.append(f"{path.relative_to(REPO).as_posix()}:{line}: {match.group(0)}")
    return found


def test_the_names_come_from_the_assignments():
    names = _names()
    assert len(names) > 10 and all(n.isidentifier() for n in names)


def test_no_framework_module_names_an_assignment_or_its_functions():
    names = sorted(_names(), key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9_])")
    hits = []
    for path in sorted((REPO / "grader").rglob("*.py")):
        if path.relative_to(REPO).as_posix() not in ALLOWED_FILES:
            hits += _hits(path, pattern)
    assert not hits, "the framework names assignments (move this beside the solutions):\n" + "\n".join(hits)


@pytest.mark.parametrize("rel", sorted(ALLOWED_FILES))
def test_every_allowed_file_exists_and_still_needs_its_exception(rel):
    names = sorted(_names(), key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9_])")
    assert _hits(REPO / rel, pattern), f"{rel} names no assignment any more: drop it from ALLOWED_FILES"


def test_the_scanner_sees_code_and_skips_prose():
    source = '"""Module docs: backprop."""\nx = "backprop"  # rnn\ndef f():\n    """rnn"""\n    return rnn\n'
    assert [t for _, t in _code_words(source) if "backprop" in t or "rnn" in t] == ['"backprop"', "rnn"]
