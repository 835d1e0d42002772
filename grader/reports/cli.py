"""`python -m grader export` and `python -m grader feedback`: thin shells over grader.reports.

    python -m grader export --format csv|canvas|moodle|gradescope|nbgrader --assignment A
        --gradebook PATH --out DIR [--roster CSV] [--late-days N] [--canvas-column NAME]
    python -m grader feedback --assignment A --gradebook PATH --out DIR [--student ID]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("csv", "canvas", "moodle", "gradescope", "nbgrader")


def with_roster(results, assignment, roster_rows) -> list:
    """`results` plus a "no submission" result (0) for each roster student without one."""
    from grader.batch.roster import RosterEntry, no_submission
    have = {r.student for r in results}
    extra = [no_submission(assignment.name, RosterEntry(student=row["student"]))
             for row in roster_rows if row["student"] not in have]
    return sorted(list(results) + extra, key=lambda r: r.student)


def export(*, format: str, assignment, gradebook_path, out_dir, roster=None,
           late_days: int | None = None, canvas_column: str | None = None) -> list[Path]:
    """Write the export of ``format`` into ``out_dir``; return the files written.

    roster: a roster CSV path (grader.batch.roster; default: the one stored in the gradebook
    by `grade --roster`): every student on it is exported, "no submission" at 0, with their
    extension. late_days: the course's late-day budget (grader.reports.latedays)."""
    from grader.assignment import load_assignment
    from grader.reports.csv_export import write_csv
    from grader.reports.gradescope import write_gradescope
    from grader.reports.grades import grade_rows
    from grader.reports.nbgrader_export import write_nbgrader
    from grader.reports.source import load_results

    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (choose from {FORMATS})")
    if isinstance(assignment, (str, Path)):
        assignment = load_assignment(assignment)
    from grader.reports.latedays import _roster, course_policy
    from grader.reports.lms_export import people_of, write_canvas, write_moodle
    results = load_results(gradebook_path, assignment.name)
    if roster is not None:
        from grader.batch.roster import read_roster
        roster_rows = [e.as_row() for e in read_roster(roster)]
    else:
        roster_rows = _roster(gradebook_path)
    results = with_roster(results, assignment, roster_rows)
    course = course_policy(gradebook_path, assignment, late_days=late_days, roster=roster_rows)
    rows = grade_rows(results, assignment, course=course)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
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
    if format == "gradescope":
        return sorted(write_gradescope(results, assignment, out_dir).values())
    return [write_nbgrader(rows, assignment, out_dir / "gradebook.db")]


def feedback(*, assignment, gradebook_path, out_dir, student: str | None = None,
             late_days: int | None = None) -> list[Path]:
    from grader.assignment import load_assignment
    from grader.reports.feedback import write_feedback
    from grader.reports.overview import render_overview
    from grader.reports.source import load_results

    if isinstance(assignment, (str, Path)):
        assignment = load_assignment(assignment)
    results = load_results(gradebook_path, assignment.name)
    if student is not None:
        results = [r for r in results if r.student == student]
        if not results:
            raise SystemExit(f"no graded submission of {student!r} for {assignment.name}")
    from grader.reports.latedays import course_policy
    course = course_policy(gradebook_path, assignment, late_days=late_days)
    paths = sorted(write_feedback(results, assignment, out_dir, course=course).values())
    if student is None:
        overview = Path(out_dir) / f"{assignment.name}-overview.html"
        overview.write_text(render_overview(results, assignment), encoding="utf-8")
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


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="export grades: csv, gradescope, nbgrader")
    parser.add_argument("--format", required=True, choices=FORMATS)
    _common(parser)
    parser.add_argument("--roster", type=Path, default=None, metavar="CSV",
                        help="the course roster (default: the one `grade --roster` stored): "
                        "every student on it is exported, 'no submission' at 0")
    parser.add_argument("--late-days", type=int, default=None, metavar="N",
                        help="course late-day budget: N free late days per student across "
                        "the assignments (in due-date order), then the late penalty")
    parser.add_argument("--canvas-column", default=None, metavar="NAME",
                        help="canvas: the gradebook column, e.g. 'backprop (1234)' to update "
                        "Canvas assignment 1234 (default: the assignment's name)")
    parser.set_defaults(func=_run_export)
    parser = subparsers.add_parser("feedback", help="write feedback pages and the class overview")
    _common(parser)
    parser.add_argument("--student", help="only this student's page")
    parser.add_argument("--late-days", type=int, default=None, metavar="N",
                        help="course late-day budget, as for export (extensions come from the "
                        "roster `grade --roster` stored)")
    parser.set_defaults(func=_run_feedback)
