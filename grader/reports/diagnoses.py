"""Diagnosis codes in plain words: the one implementation lives in `grader.student.hints`
(student-safe, so the local `check` and the feedback pages say the same sentence)."""

from grader.student.hints import failing_array, plain_words

__all__ = ["failing_array", "plain_words"]
