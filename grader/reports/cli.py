"""`python -m grader export` and `python -m grader feedback`: thin shells over grader.reports.

    python -m grader export --format csv|gradescope|nbgrader --assignment A --gradebook PATH --out DIR
    python -m grader feedback --assignment A --gradebook PATH --out DIR [--student ID]
"""

from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("csv", "gradescope", "nbgrader")


def export(*, format: str, assignment, gradebook_path, out_dir) -> list[Path]:
    """Write the export of ``format`` into ``out_dir``; return the files written."""
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
    results = load_results(gradebook_path, assignment.name)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if format == "csv":
        return [write_csv(grade_rows(results, assignment), assignment,
                          out_dir / f"{assignment.name}-grades.csv")]
    if format == "gradescope":
        return sorted(write_gradescope(results, assignment, out_dir).values())
    return [write_nbgrader(grade_rows(results, assignment), assignment, out_dir / "gradebook.db")]


def feedback(*, assignment, gradebook_path, out_dir, student: str | None = None) -> list[Path]:
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
    paths = sorted(write_feedback(results, assignment, out_dir).values())
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
                       gradebook_path=args.gradebook, out_dir=args.out):
        print(path)
    return 0


def _run_feedback(args) -> int:
    for path in feedback(assignment=args.assignment, gradebook_path=args.gradebook,
                         out_dir=args.out, student=args.student):
        print(path)
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="export grades: csv, gradescope, nbgrader")
    parser.add_argument("--format", required=True, choices=FORMATS)
    _common(parser)
    parser.set_defaults(func=_run_export)
    parser = subparsers.add_parser("feedback", help="write feedback pages and the class overview")
    _common(parser)
    parser.add_argument("--student", help="only this student's page")
    parser.set_defaults(func=_run_feedback)
