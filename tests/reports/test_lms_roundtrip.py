"""Round trips a course runs: a Canvas download graded for real and exported to a Canvas CSV
whose rows match the gradebook; a roster student who handed nothing in is 0 everywhere; an
extension and a late-day budget change the final score the exports carry."""

from __future__ import annotations

import csv
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.batch.driver import grade_batch
from grader.batch.gradebook import Gradebook
from grader.reports.cli import export
from grader.reports.lms_export import read_rows

REPO = Path(__file__).resolve().parents[2]
LATE = datetime(2026, 12, 17, 12, 0, tzinfo=timezone.utc).timestamp()  # 2 days after the due date
# exports grade at a moment: after the due date (and after Ada's 2-day extension) every check
# counts, so the reference is worth the assignment's points (before it, the after_due_date
# checks count nowhere and the exports would rightly say 50.5)
GRADED_AT = datetime(2026, 12, 20, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory):
    """A Canvas download (reference by Ada, submitted 2 days late; stubs by Grace) graded in
    the sandbox, with a roster adding Bea (no submission) and giving Ada a 2-day extension."""
    tmp = tmp_path_factory.mktemp("canvas")
    download = tmp / "download"
    download.mkdir()
    for stem in ("layers", "layer_utils"):
        ada = download / f"lovelaceada_101_9001_{stem}.py"
        ada.write_bytes((REPO / "solutions" / "backprop" / f"{stem}.py").read_bytes())
        os.utime(ada, (LATE, LATE))
        grace = download / f"hoppergrace_102_9002_{stem}.py"
        grace.write_bytes((REPO / "assignments" / "backprop" / f"{stem}.py").read_bytes())
    roster = tmp / "roster.csv"
    roster.write_text("student,name,email,lms_id,section,extension_days\n"
                      "ada,Ada Lovelace,ada@example.org,101,A,2\n"
                      "bea,Bea Marsh,bea@example.org,103,A,0\n"
                      "grace,Grace Hopper,grace@example.org,102,B,0\n", encoding="utf-8")
    gradebook = tmp / "gradebook.sqlite"
    summary = grade_batch(download, assignment="backprop", gradebook_path=gradebook,
                          secret="roundtrip secret", workers=2, progress=False, roster_path=roster)
    assert summary.internal_errors == 0 and summary.graded == 2, summary.problems
    return tmp, gradebook, roster


def test_a_canvas_download_round_trips_to_a_canvas_csv_matching_the_gradebook(canvas_class):
    tmp, gradebook, _ = canvas_class
    assignment = load_assignment("backprop")
    (path,) = export(format="canvas", assignment=assignment, gradebook_path=gradebook,
                     out_dir=tmp / "out", canvas_column="backprop (555)", now=GRADED_AT)
    rows = {r["SIS User ID"]: r for r in read_rows(path)}
    with Gradebook(gradebook) as book:
        totals = book.totals("backprop")
    assert set(rows) == set(totals) == {"ada", "bea", "grace"}
    assert totals["ada"] == (assignment.points, assignment.points)   # the reference
    assert float(rows["ada"]["backprop (555)"]) == totals["ada"][0]   # late, but within her extension
    assert float(rows["grace"]["backprop (555)"]) == totals["grace"][0] == 0.0
    assert float(rows["bea"]["backprop (555)"]) == totals["bea"][0] == 0.0
    assert [rows[s]["ID"] for s in ("ada", "bea", "grace")] == ["101", "103", "102"]
    assert rows["ada"]["Student"] == "Ada Lovelace" and rows["grace"]["Section"] == "B"
    with path.open(newline="") as handle:
        assert next(csv.reader(handle))[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID",
                                                 "Section"]


def test_without_the_extension_the_late_penalty_reaches_the_csv_and_the_moodle_sheet(canvas_class):
    tmp, gradebook, _ = canvas_class
    assignment = load_assignment("backprop")
    plain = tmp / "roster-no-extension.csv"
    plain.write_text("student,lms_id\nada,101\nbea,103\ngrace,102\n")
    (path,) = export(format="csv", assignment=assignment, gradebook_path=gradebook,
                     out_dir=tmp / "late", roster=plain, now=GRADED_AT)
    with path.open(newline="") as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle)}
    assert rows["ada"]["days_late"] == "2"
    assert float(rows["ada"]["final"]) == pytest.approx(assignment.points * 0.8)
    assert set(rows) == {"ada", "bea", "grace"} and float(rows["bea"]["final"]) == 0.0
    (sheet,) = export(format="moodle", assignment=assignment, gradebook_path=gradebook,
                      out_dir=tmp / "late", roster=plain, now=GRADED_AT)
    moodle = {r["Identifier"]: r for r in read_rows(sheet)}
    assert float(moodle["Participant 101"]["Grade"]) == pytest.approx(assignment.points * 0.8)
    assert moodle["Participant 103"]["Status"] == "No submission"
    (late_days,) = export(format="csv", assignment=assignment, gradebook_path=gradebook,
                          out_dir=tmp / "budget", roster=plain, late_days=2,
                          now=GRADED_AT)
    with late_days.open(newline="") as handle:
        budget = {r["student"]: r for r in csv.DictReader(handle)}
    assert float(budget["ada"]["final"]) == assignment.points  # two free late days cover it


def test_the_missing_roster_student_is_zero_in_the_overview_and_feedback_too(canvas_class):
    from grader.reports import write_reports
    tmp, gradebook, _ = canvas_class
    out = write_reports(assignment="backprop", gradebook_path=gradebook, out_dir=tmp / "reports")
    overview = out["overview"].read_text(encoding="utf-8")
    assert "bea" in overview and "no submission" in overview
    assert (out["feedback"] / "backprop-bea.html").is_file()
    with out["csv"].open(newline="") as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle)}
    assert float(rows["bea"]["final"]) == 0.0


def test_feedback_shows_the_extension_and_the_free_late_days(canvas_class):
    from grader.reports.cli import feedback
    tmp, gradebook, _ = canvas_class
    (page,) = feedback(assignment="backprop", gradebook_path=gradebook, out_dir=tmp / "fb",
                       student="ada")
    html = page.read_text(encoding="utf-8")
    assert "Extension" in html and "2 days" in html and "Late by" not in html
    with Gradebook(gradebook) as book:  # without the extension, the budget covers the 2 days
        book.set_roster([{"student": "ada"}, {"student": "bea"}, {"student": "grace"}])
    (page,) = feedback(assignment="backprop", gradebook_path=gradebook, out_dir=tmp / "fb2",
                       student="ada", late_days=3)
    html = page.read_text(encoding="utf-8")
    assert "Free late days used" in html and "Late by 2 days (−0%)" in html
