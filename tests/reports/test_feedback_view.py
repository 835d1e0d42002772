"""What a student sees: visible checks in full, hidden ones redacted, after_due_date ones only
after the due date; and no planted hidden input, expected value or code line in any page."""

from __future__ import annotations

import html
import json
import re

from synthetic import (AFTER_DUE, BEFORE_DUE, PLANTED_EXPECTED, PLANTED_INPUT, PLANTED_SOURCE,
                       make_result)

from grader.reports.feedback import render_feedback
from grader.reports.gradescope import results_json
from grader.reports.view import feedback_view

PLANTS = (PLANTED_INPUT, PLANTED_SOURCE, PLANTED_EXPECTED, "31.4159", "42.4242")


def _checks(view):
    return {c.name: c for t in view.tasks for c in t.checks}


def test_visible_failures_show_message_diagnosis_and_errors_against_thresholds(assignment):
    view = feedback_view(make_result(assignment, "bob", "buggy"), assignment, now=AFTER_DUE)
    check = _checks(view)["backprop/affine_forward_visible"]
    assert not check.passed and check.message.startswith("dw does not match")
    assert check.diagnosis == "your dw looks like the transpose of the expected gradient"
    assert [(e.name, e.value, e.threshold, e.ok) for e in check.errors] == [
        ("dw", "7.30e-01", "1.00e-07", False)]


def test_hidden_failures_show_name_score_and_diagnosis_only(assignment):
    view = feedback_view(make_result(assignment, "bob", "buggy"), assignment, now=AFTER_DUE)
    check = _checks(view)["backprop/affine_forward_hidden"]
    assert check.diagnosis and check.max_score == 0.5 and check.score == 0
    assert check.message is None and check.errors == ()


def test_after_due_date_checks_are_held_back_until_the_due_date(assignment):
    result = make_result(assignment, "bob", "buggy")
    before = feedback_view(result, assignment, now=BEFORE_DUE)
    after = feedback_view(result, assignment, now=AFTER_DUE)
    late_ids = [c.check_id for c in result.checks if c.visibility == "after_due_date"]
    assert late_ids and not set(late_ids) & set(_checks(before))
    assert before.held_back == len(late_ids)
    assert set(late_ids) <= set(_checks(after)) and after.held_back == 0
    assert before.max_total == assignment.points - sum(
        c.max_score for c in result.checks if c.visibility == "after_due_date")
    html = render_feedback(result, assignment, now=BEFORE_DUE, with_plots=False)
    assert "will appear here after the due date" in html
    assert not any(i in html for i in late_ids)


def test_planted_hidden_inputs_and_code_never_appear_in_any_feedback_page(reports, klass, assignment):
    pages = sorted(reports["feedback"].glob("*.html"))
    assert len(pages) == len(klass)
    # the plant is really there to be leaked: it is in the results the pages are made from
    assert any(PLANTED_INPUT in c.message for r in klass for c in r.checks)
    for page in pages:
        text = html.unescape(page.read_text(encoding="utf-8"))
        # SVG path geometry (d="M 42 72.6 C 42.424264 ...") is drawn coordinates, not words: a
        # plant could only match it by coincidence; every text of the page, SVG text included,
        # is still scanned
        text = re.sub(r'\sd="[^"]*"', "", text)
        leaked = [p for p in PLANTS if p in text]
        assert not leaked, f"{page.name} shows {leaked}"
    for result in klass:  # Gradescope's results.json is student-facing too
        text = json.dumps(results_json(result, assignment))
        assert not [p for p in PLANTS if p in text]


def test_a_page_that_printed_hidden_messages_would_be_caught(klass, assignment):
    """The scan above has teeth: the raw results contain the plants."""
    raw = json.dumps([r.to_dict() for r in klass])
    assert all(p in raw for p in (PLANTED_INPUT, PLANTED_SOURCE, PLANTED_EXPECTED))


def test_pages_carry_scores_late_penalty_and_unsubmittable_banner(reports):
    carol = (reports["feedback"] / "backprop-carol.html").read_text()
    assert re.search(r"Late by 2 days \(−20%\)", carol)
    erin = (reports["feedback"] / "backprop-erin.html").read_text()
    assert "Your submission could not be graded." in erin and "corrupt zip" in erin


def test_a_failed_hidden_check_shows_its_declared_purpose_but_never_its_message(assignment):
    """Where a hidden check failed, the page says what it tests (its @check message, written for
    students), so the student knows where to look, and still none of its planted details."""
    from grader.checks.registry import collect
    from grader.checks.results import CheckResult, SubmissionResult
    spec = next(s for s in collect(assignment)
                if s.id == "backprop/affine_backward_hard_gradient_hidden")
    assert spec.visibility == "hidden" and "hard configurations" in spec.message
    failed = CheckResult(spec.id, spec.task, "failed", 0.0, spec.points, "hidden",
                         f"dw differs on input x = {PLANTED_INPUT}; {PLANTED_EXPECTED}",
                         None, {"dw": 0.5}, {"dw": 1e-7})
    result = SubmissionResult(assignment.name, "pat", "hash-pat", [failed], "graded", "",
                              "2026-12-01T10:00:00+00:00", 1.0, "2026-12-01T10:00:00+00:00")
    text = html.unescape(render_feedback(result, assignment, now=AFTER_DUE, with_plots=False))
    assert f"what it checks: {spec.message}" in text
    assert PLANTED_INPUT not in text and PLANTED_EXPECTED not in text
    passed = CheckResult(spec.id, spec.task, "passed", spec.points, spec.points, "hidden",
                         spec.message)
    result.checks = [passed]
    assert "what it checks:" not in render_feedback(result, assignment, now=AFTER_DUE,
                                                    with_plots=False)
