"""Which layer cases (an assignment's cases.py, registered in grader.layercases) a check drives,
by role.

`gradient_cases(assignment, function)`: the cases whose backward is `function` (or, for a loss,
whose forward is); `forward_cases(assignment, forward)`: every case calling `forward`. The first
case of a function in the catalogue is its standard configuration (visible checks use it); the
others are its hard configurations (stride, overlap, repeated indices, batch of 1, ...).

Student-safe: imports grader.layercases (numpy only).
"""

from __future__ import annotations

from grader.layercases import registered


def gradient_cases(assignment: str, function: str) -> list:
    """Cases whose gradient `function` returns: its backward, or a loss function itself."""
    found = [c for c in registered(assignment)
             if (c.backward == function or (c.kind == "loss" and c.forward == function))]
    if not found:
        raise KeyError(f"no layer case computes the gradient of {assignment}/{function}")
    return found


def forward_cases(assignment: str, forward: str) -> list:
    """Every case that calls `forward` (each forward once per input configuration)."""
    found = [c for c in registered(assignment) if c.forward == forward]
    if not found:
        raise KeyError(f"no layer case calls {assignment}/{forward}")
    return found


def standard(cases: list) -> list:
    """The standard configuration: the first case."""
    return cases[:1]


def hard(cases: list) -> list:
    """The hard configurations: every case after the first (all of them when there is one)."""
    return cases[1:] or cases[:1]


def tags_of(cases: list) -> str:
    """The hard-case tags, comma-separated, for a check's message."""
    return ", ".join(sorted(set().union(*(c.tags for c in cases)))) or "standard shapes"
