"""`python -m grader override` and `python -m grader history`: manual grading on the command line
(defined in grader.reports.cli beside export and feedback)."""

from grader.reports.cli import register_manual as register

__all__ = ["register"]
