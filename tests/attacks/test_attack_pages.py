"""A hostile submission's own words reach the gradebook and the feedback page safely.

The corpus attack ``surrogate_and_html_in_exception_message`` prints and raises text with a lone
surrogate (no UTF-8 encoding exists for it), HTML and script tags, bidi overrides, a NUL and an
escape sequence. Graded for real (grade_submission through the sandbox), the result is recorded
in a gradebook, read back and rendered as the student's feedback page, which is written to disk:
nothing raises, and the page shows the student's markup as text, never as markup.
"""

import html
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.batch.gradebook import Gradebook
from grader.checks.grade import grade_submission
from grader.checks.scoring import total
from grader.checks.secret import DEV_SECRET
from grader.reports.feedback import write_feedback
from grader.runner.sandbox import sandbox_factory

ATTACK = Path(__file__).parent / "corpus" / "surrogate_and_html_in_exception_message"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    factory = sandbox_factory(call_timeout_s=1.0, total_timeout_s=8.0, memory_bytes=512 << 20,
                              job_base=str(tmp_path_factory.mktemp("jobs")))
    try:
        assignment = load_assignment("backprop")
        result = grade_submission(ATTACK, assignment=assignment, student_id="mallory",
                                  secret=DEV_SECRET, runner_factory=factory)
    finally:
        factory.close()
    return assignment, result


def test_the_students_text_is_recorded_and_read_back(graded, tmp_path):
    assignment, result = graded
    messages = [check.message for check in result.checks if "alert" in check.message]
    assert messages, "the attack's exception text reaches the check messages"
    for text in messages:
        text.encode("utf-8")  # storable, printable, writable
        # no terminal escapes, NUL or bidi overrides reach a TA's terminal or a page
        assert not any(ch in text for ch in "\x00\x1b\u202e\u202c"), text
        assert "\\u202e" in text and "\\u001b" in text  # shown, not hidden
    with Gradebook(tmp_path / "gb.sqlite") as book:
        got, most = total(result.checks)
        book.record(result, score=got, max_score=most)
        back = book.latest(result.assignment, result.student)
    assert [c.message for c in back.checks] == [c.message for c in result.checks]


def test_the_feedback_page_escapes_the_students_markup(graded, tmp_path):
    assignment, result = graded
    page = write_feedback([result], assignment, tmp_path)[result.student].read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert html.escape("<script>alert('xss')</script>", quote=True) in page or \
        "&lt;script&gt;alert(" in page
