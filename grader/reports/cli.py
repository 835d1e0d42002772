"""`python -m grader export`, `feedback`, `override` and `history`: thin shells over grader.reports.

    python -m grader export --format csv|canvas|moodle|gradescope|nbgrader --assignment A
        --gradebook PATH --out DIR [--roster CSV] [--late-days N] [--canvas-column NAME]
    python -m grader feedback --assignment A --gradebook PATH --out DIR [--student ID]
    python -m grader override --assignment A --gradebook PATH --student ID --task T
                              [--score X] [--comment TEXT] --by NAME
    python -m grader history STUDENT [--gradebook PATH] [--assignment A]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grader.usage import UsageError, existing_gradebook, one_line_errors, resolve

FORMATS = ("csv", "canvas", "moodle", "gradescope", "nbgrader")
DEFAULT_GRADEBOOK = os.path.join("grades", "gradebook.sqlite")


def _class(assignment, gradebook_path):
    from grader.reports.grades import load_overrides
    from grader.reports.source import load_results

    assignment = resolve(assignment)
    existing_gradebook(gradebook_path)
    results = load_results(gradebook_path, assignment.name)
    if not results:
        raise UsageError(f"nothing graded for {assignment.name} in {gradebook_path}: nothing "
                         "written (grade the submissions first)")
    return assignment, results, load_overrides(gradebook_path, assignment)


def with_roster(results, assignment, roster_rows) -> list:
    """`results` plus a "no submission" result (0) for each roster student without one."""
    from grader.batch.roster import RosterEntry, no_submission
    have = {r.student for r in results}
    extra = [no_submission(assignment.name, RosterEntry(student=row["student"]))
             for row in roster_rows if row["student"] not in have]
    return sorted(list(results) + extra, key=lambda r: r.student)


def export(*, format: str, assignment, gradebook_path, out_dir, roster=None,
           late_days: int | None = None, canvas_column: str | None = None,
           now=None) -> list[Path]:
    """Write the export of ``format`` into ``out_dir``; return the files written. Every format
    reads the same rows (`grader.reports.grades.grade_rows`, TA overrides applied).

    roster: a roster CSV path (grader.batch.roster; default: the one stored in the gradebook
    by `grade --roster`): every student on it is exported, "no submission" at 0, with their
    extension. late_days: the course's late-day budget (grader.reports.latedays)."""
    from grader.reports.csv_export import write_csv
    from grader.reports.gradescope import write_gradescope
    from grader.reports.grades import grade_rows
    from grader.reports.latedays import _roster, course_policy
    from grader.reports.lms_export import people_of, write_canvas, write_moodle
    from grader.reports.nbgrader_export import write_nbgrader

    if format not in FORMATS:
        raise UsageError(f"unknown export format {format!r} (choose from {', '.join(FORMATS)})")
    assignment, results, overrides = _class(assignment, gradebook_path)
    if roster is not None:
        from grader.batch.roster import read_roster
        roster_rows = [e.as_row() for e in read_roster(roster)]
    else:
        roster_rows = _roster(gradebook_path)
    results = with_roster(results, assignment, roster_rows)
    course = course_policy(gradebook_path, assignment, late_days=late_days, roster=roster_rows)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if format == "gradescope":
        return sorted(write_gradescope(results, assignment, out_dir, now=now,
                                       overrides=overrides, course=course).values())
    rows = grade_rows(results, assignment, now=now, overrides=overrides, course=course)
    if format == "csv":
        return [write_csv(rows, assignment, out_dir / f"{assignment.name}-grades.csv")]
    if format in ("canvas", "moodle"):
        people = people_of(gradebook_path, assignment.name, roster_rows or None)
        target = out_dir / f"{assignment.name}-{format}.csv"
        written = (write_canvas(rows, assignment, target, people=people, canvas_column=canvas_column)
                   if format == "canvas" else write_moodle(rows, assignment, target, people=people))
        if written.missing_ids:
            print(f"export: no {format.capitalize()} id for {', '.join(written.missing_ids)} "
                  "(give them an lms_id in --roster)", file=sys.stderr)
        return [written.path]
    return [write_nbgrader(rows, assignment, out_dir / "gradebook.db")]


def feedback(*, assignment, gradebook_path, out_dir, student: str | None = None,
             late_days: int | None = None, now=None) -> list[Path]:
    """Write the feedback pages (one student's, or everyone's and the class overview, linked
    both ways) into ``out_dir``; return the files written."""
    from grader.reports.feedback import feedback_filename, write_feedback
    from grader.reports.latedays import course_policy
    from grader.reports.overview import render_overview

    assignment, results, overrides = _class(assignment, gradebook_path)
    overview = Path(out_dir) / f"{assignment.name}-overview.html"
    if student is not None:
        results = [r for r in results if r.student == student]
        if not results:
            raise UsageError(f"no graded submission of {student!r} for {assignment.name} "
                             f"(python -m grader history {student} lists what is recorded)")
    course = course_policy(gradebook_path, assignment, late_days=late_days)
    paths = sorted(write_feedback(results, assignment, out_dir, now=now, overrides=overrides,
                                  overview_href=overview.name if student is None else None,
                                  course=course).values())
    if student is None:
        overview.write_text(render_overview(results, assignment, now=now, overrides=overrides,
                                            page_href=feedback_filename, course=course),
                            encoding="utf-8")
        paths.append(overview)
    return paths


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--assignment", required=True, help="assignment name or folder")
    parser.add_argument("--gradebook", required=True, type=Path,
                        help="the gradebook (SQLite) or JSON results")
    parser.add_argument("--out", required=True, type=Path, help="output folder")


def _run_export(args) -> int:
    for path in export(format=args.format, assignment=args.assignment,
                       gradebook_path=args.gradebook, out_dir=args.out, roster=args.roster,
                       late_days=args.late_days, canvas_column=args.canvas_column):
        print(path)
    return 0


def _run_feedback(args) -> int:
    for path in feedback(assignment=args.assignment, gradebook_path=args.gradebook,
                         out_dir=args.out, student=args.student, late_days=args.late_days):
        print(path)
    return 0


def _run_override(args) -> int:
    from grader.batch.overrides import add_override
    from grader.reports.grades import places, points_text

    assignment = resolve(args.assignment)
    made = add_override(existing_gradebook(args.gradebook), assignment=assignment,
                        student=args.student, task=args.task, score=args.score,
                        comment=args.comment or "", author=args.by)
    what = "comment" if made.score is None else \
        f"score {points_text(made.score, places(assignment))}"
    print(f"{made.student} {made.task}: {what} recorded by {made.author} at {made.created_at} "
          f"(submission {made.submission_hash[:12]})")
    return 0


def _run_history(args) -> int:
    from grader.reports.history import format_history, history

    lines = history(args.student, gradebook_path=existing_gradebook(args.gradebook),
                    assignment=args.assignment)
    if not lines:
        raise UsageError(f"no submission of {args.student!r} in {args.gradebook}")
    print(format_history(lines))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="export grades: csv, canvas, moodle, gradescope, nbgrader",
        description="Write the grades of each student's latest submission, with TA overrides, "
                    "extensions and late days applied, as a CSV, a Canvas or Moodle grade import "
                    "CSV, one Gradescope results.json per student, or the grade cells of an "
                    "nbgrader gradebook. Refuses to write an empty export.")
    parser.add_argument("--format", required=True, choices=FORMATS)
    _common(parser)
    parser.add_argument("--roster", type=Path, default=None, metavar="CSV",
                        help="the course roster (default: the one `grade --roster` stored): "
                        "every student on it is exported, 'no submission' at 0")
    parser.add_argument("--late-days", type=int, default=None, metavar="N",
                        help="course late-day budget: N free late days per student across "
                        "the assignments (in due-date order), then the late penalty")
    parser.add_argument("--canvas-column", default=None, metavar="NAME",
                        help="canvas: the gradebook column, e.g. '<assignment> (1234)' to update "
                        "Canvas assignment 1234 (default: the assignment's name)")
    parser.set_defaults(func=one_line_errors("export", _run_export))
    parser = subparsers.add_parser(
        "feedback", help="write feedback pages and the class overview",
        description="Write one self-contained HTML feedback page per student and the class "
                    "overview (linked both ways) from the gradebook.")
    _common(parser)
    parser.add_argument("--student", help="only this student's page")
    parser.add_argument("--late-days", type=int, default=None, metavar="N",
                        help="course late-day budget, as for export (extensions come from the "
                        "roster `grade --roster` stored)")
    parser.set_defaults(func=one_line_errors("feedback", _run_feedback))


def register_manual(subparsers) -> None:
    """`override` and `history`: manual grading (the TA's score overrides and comments)."""
    parser = subparsers.add_parser(
        "override", help="set a task's score by hand and/or comment on it",
        description="Record a TA's score override and/or comment for one task of a student's "
                    "latest graded submission, with who and when. Every export and the feedback "
                    "page apply it; a later override of the same task replaces it.")
    parser.add_argument("--assignment", required=True, help="assignment name or folder")
    parser.add_argument("--gradebook", type=Path, default=Path(DEFAULT_GRADEBOOK),
                        help=f"the gradebook (default: {DEFAULT_GRADEBOOK})")
    parser.add_argument("--student", required=True, help="the student id")
    parser.add_argument("--task", required=True, help="task id or name, e.g. a function name")
    parser.add_argument("--score", type=float, default=None, help="the task's new score")
    parser.add_argument("--comment", default="", help="a comment the student reads")
    parser.add_argument("--by", required=True, help="who makes the override (your name)")
    parser.set_defaults(func=one_line_errors("override", _run_override))
    parser = subparsers.add_parser(
        "history", help="list a student's submissions and scores",
        description="List every recorded submission of a student (per assignment, oldest "
                    "first) with its status and score now, TA overrides applied; the one the "
                    "reports use is marked 'latest'.")
    parser.add_argument("student", metavar="STUDENT", help="the student id")
    parser.add_argument("--gradebook", type=Path, default=Path(DEFAULT_GRADEBOOK),
                        help=f"the gradebook (default: {DEFAULT_GRADEBOOK})")
    parser.add_argument("--assignment", default=None, help="only this assignment")
    parser.set_defaults(func=one_line_errors("history", _run_history))
