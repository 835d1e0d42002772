"""The class overview: histogram, pass rates, most common diagnoses, errored/timed-out list."""

from __future__ import annotations

import copy
from collections import Counter

from grader.reports.overview import overview_view, render_overview


def test_pass_rates_count_students_whose_every_check_passed(klass, assignment):
    """Out of every student of the page's head count: a submission whose checks could not run
    passes no task (the header's "N students" and each rate's denominator are the same N)."""
    from synthetic import AFTER_DUE
    view = overview_view(klass, assignment, now=AFTER_DUE)
    graded = [r for r in klass if r.status == "graded"]
    assert len(graded) < len(klass) == view.students
    for rate in view.task_rates:
        expected = sum(all(c.status == "passed" for c in r.checks if c.task == rate.id)
                       for r in graded)
        assert (rate.passed, rate.attempted) == (expected, len(klass))


def test_most_common_diagnoses_are_counted_and_worded(klass, assignment):
    from synthetic import AFTER_DUE
    view = overview_view(klass, assignment, now=AFTER_DUE)
    counts = Counter(c.diagnosis for r in klass for c in r.checks
                     if c.status != "passed" and c.diagnosis)
    assert [(d.code, d.count) for d in view.diagnoses] == counts.most_common(10)
    assert all(d.words.startswith("your ") for d in view.diagnoses)


def test_pointers_to_another_function_are_not_counted_as_bug_classes(klass, assignment):
    """A check stopped by another function ("in:affine_forward") is not a bug class: that
    function's own checks carry the diagnosis, so the table lists only bug classes."""
    blamed = copy.deepcopy(klass)
    graded = next(r for r in blamed if r.status == "graded" and r.checks)
    graded.checks[0].status, graded.checks[0].diagnosis = "failed", "in:affine_forward"
    from synthetic import AFTER_DUE
    view = overview_view(blamed, assignment, now=AFTER_DUE)
    assert all(not d.code.startswith("in:") for d in view.diagnoses)
    counts = Counter(c.diagnosis for r in blamed for c in r.checks
                     if c.status != "passed" and c.diagnosis and c.diagnosis != "in:affine_forward")
    assert [(d.code, d.count) for d in view.diagnoses] == counts.most_common(10)


def test_errored_and_timed_out_submissions_are_listed(klass, assignment):
    problems = {p.student: p for p in overview_view(klass, assignment).problems}
    assert set(problems) == {"erin", "frank"}
    assert problems["erin"].message == "corrupt zip" and problems["frank"].status == "timed out"


def test_overview_embeds_an_svg_histogram_of_finals(klass, assignment):
    html = render_overview(klass, assignment)
    histogram = html.split('id="histogram"', 1)[1]
    assert histogram.lstrip(">\n").startswith("<svg")
    assert "Most common diagnoses" in html and "your gradient" in html


def test_a_task_that_counts_only_after_the_due_date_says_so_before_it(klass, assignment):
    """Before the due date a task whose every check counts only after it shows no pass rate
    (0 / N read as if nobody passed); after the due date it has its rate like the others."""
    from grader.reports.grades import task_maxima
    from synthetic import AFTER_DUE, BEFORE_DUE
    later = {t for t, worth in task_maxima(assignment, due_passed=False).items() if worth == 0}
    assert later, "the synthetic class needs a task that counts only after the due date"
    before = {r.id: r for r in overview_view(klass, assignment, now=BEFORE_DUE).task_rates}
    after = {r.id: r for r in overview_view(klass, assignment, now=AFTER_DUE).task_rates}
    assert {t for t, r in before.items() if not r.counts_now} == later
    assert all(r.counts_now for r in after.values())
    page = render_overview(klass, assignment, now=BEFORE_DUE)
    assert page.count("counts after the due date") == len(later)
    assert "counts after the due date" not in render_overview(klass, assignment, now=AFTER_DUE)
