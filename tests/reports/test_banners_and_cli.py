"""Pages for every outcome (a banner with the one message that explains it, working in-page
links) and the report commands' one-line errors."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import pytest
from synthetic import AFTER_DUE, make_result

from grader.checks.results import CheckResult
from grader.reports.feedback import render_feedback

IMPORT_ERROR = "layers.py does not import: SyntaxError: invalid syntax (layers.py, line 12)"


def _import_failure(assignment):
    result = make_result(assignment, "ivan", "reference")
    result.checks = [CheckResult(c.check_id, c.task, "error", 0.0, c.max_score, c.visibility,
                                 IMPORT_ERROR) for c in result.checks]
    return result


@pytest.mark.parametrize("case,headline,message", [
    ("import", "Your file did not import", IMPORT_ERROR),
    ("refused", "Your submission was refused", "the zip expands past its limits: refused as a "
                                               "zip bomb"),
    ("timeout", "ran out of time", "grading took over 120 s"),
])
def test_a_submission_that_did_not_run_gets_a_banner_with_one_message(assignment, case,
                                                                      headline, message):
    if case == "import":
        result = _import_failure(assignment)
    else:
        result = make_result(assignment, "ivan", "timeout" if case == "timeout" else "error")
        result.message = message
    page = html.unescape(render_feedback(result, assignment, now=AFTER_DUE, with_plots=False))
    banner = page.split('id="problem"', 1)[1].split("</div></div>", 1)[0]
    assert headline in banner and message in banner
    assert page.count(message) == 1           # said once, not once per check
    # no maximum of 0 (a task worth 0.5 legitimately shows "0 / 0.5")
    assert not re.search(r"(?<![\d.])0 / 0(?:\.0+)?(?![.\d])", page)
    assert f"0 / {assignment.points:g}" in page


def test_every_in_page_link_has_its_anchor(klass, assignment):
    for result in [*klass, _import_failure(assignment)]:
        page = render_feedback(result, assignment, now=AFTER_DUE, with_plots=False)
        targets = re.findall(r'href="#([^"]+)"', page)
        anchors = set(re.findall(r'id="([^"]+)"', page))
        assert set(targets) <= anchors, (result.student, set(targets) - anchors)
    bob = next(r for r in klass if r.student == "bob")
    assert re.findall(r'href="#([^"]+)"', render_feedback(bob, assignment, now=AFTER_DUE,
                                                          with_plots=False))


def test_the_overview_links_each_student_page_and_back(reports, klass):
    overview = reports["overview"].read_text()
    for result in klass:
        href = f"feedback/backprop-{result.student}.html"
        assert f'href="{href}"' in overview
        page = (reports["overview"].parent / href).read_text()
        assert f'href="../{reports["overview"].name}"' in page


def _cli(*argv, cwd=None):
    return subprocess.run([sys.executable, "-m", "grader", *argv], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


@pytest.mark.parametrize("argv,says", [
    (["export", "--format", "csv", "--assignment", "nosuch", "--gradebook", "{book}",
      "--out", "{tmp}"], "no assignment 'nosuch' (choose one of: backprop"),
    (["feedback", "--assignment", "backprop", "--gradebook", "{tmp}/missing.sqlite",
      "--out", "{tmp}"], "no gradebook at"),
    (["export", "--format", "csv", "--assignment", "backprop", "--gradebook", "{book}",
      "--out", "{tmp}"], "nothing graded for backprop"),
    (["history", "nobody", "--gradebook", "{book}"], "no submission of 'nobody'"),
    (["grade", "{tmp}", "--assignment", "nosuch"], "no assignment 'nosuch'"),
])
def test_user_errors_are_one_line_saying_what_to_do(tmp_path, argv, says):
    from grader.batch.gradebook import Gradebook
    book = tmp_path / "empty.sqlite"
    Gradebook(book).close()
    argv = [a.format(book=book, tmp=tmp_path) for a in argv]
    done = _cli(*argv)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1 and says in lines[0] and "Traceback" not in done.stderr, done.stderr
    assert not list(tmp_path.glob("*.csv"))


def test_every_command_has_a_description():
    from grader.cli import build_parser
    parser = build_parser()
    choices = parser._subparsers._group_actions[0].choices
    assert {"export", "feedback", "check", "submit", "grade", "history", "override"} <= set(choices)
    for name, sub in choices.items():
        assert sub.description and len(sub.description) > 20, name
