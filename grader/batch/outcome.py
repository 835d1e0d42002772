"""What went wrong with a submission as a whole, in one phrase and one message.

A submission that could not be graded (status "error" or "timeout"), or whose every failing check
stopped on the same import error or missing module, has an `Outcome`; a graded one whose checks
ran has none. The feedback page's banner, the overview and the batch summary all read it, so the
three name the same students with the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.checks.results import SubmissionResult

KINDS = ("did not import", "missing", "refused", "timed out", "could not be graded")


@dataclass(frozen=True)
class Outcome:
    kind: str        # one of KINDS
    message: str     # the one message that explains it

    @property
    def headline(self) -> str:
        return {
            "did not import": "Your file did not import, so no check could run.",
            "missing": "A file or function the assignment needs is missing.",
            "refused": "Your submission was refused.",
            "timed out": "Grading your submission ran out of time.",
            "could not be graded": "Your submission could not be graded.",
        }[self.kind]


def _kind_of(message: str, status: str) -> str:
    low = message.lower()
    if status == "timeout" or "timed out" in low or "took over" in low:
        return "timed out"
    if "does not import" in low or "did not import" in low or low.startswith("importing ") or "syntaxerror" in low \
            or "importerror" in low or "could not import" in low:
        return "did not import"
    if "missing" in low or "no module" in low or "not found" in low or "no file" in low:
        return "missing"
    if "refus" in low or "zip bomb" in low or "not allowed" in low or "outside" in low:
        return "refused"
    return "could not be graded"


#: grader.checks.files.not_run_message: a check not run because its file does not import
_NOT_RUN = re.compile(r"not run: \S+\.py could not be imported")


def outcome(result: SubmissionResult) -> Outcome | None:
    """The submission-level problem of ``result``, or None when its checks ran."""
    if result.status != "graded":
        message = result.message or f"status {result.status}"
        return Outcome(_kind_of(message, result.status), message)
    failing = [c for c in result.checks if c.status != "passed"]
    if not failing or len(failing) != len(result.checks):
        return None
    if result.message and all(c.status == "error" and _NOT_RUN.match(c.message) for c in failing):
        # every check was skipped because a file did not import (grader.checks.files
        # not_run_message); the result's message is the file's own (the SyntaxError, ...)
        return Outcome("did not import", result.message)
    messages = {c.message for c in failing}
    if len(messages) != 1:
        return None
    (message,) = messages
    if all(c.status == "error" for c in failing) and _kind_of(message, "") == "did not import":
        return Outcome("did not import", message)
    if all(c.status == "missing" for c in failing) and "module" in message.lower():
        return Outcome("missing", message)
    return None
