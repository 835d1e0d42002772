"""Reports: what students and TAs read, made from graded results.

    feedback pages   grader.reports.feedback   (view rules in grader.reports.view)
    class overview   grader.reports.overview
    exports          grader.reports.csv_export, .gradescope, .nbgrader_export
    deadlines        grader.reports.deadline   (late penalty: a pure function)
    plots            grader.reports.curves (data through a runner) + .plots (inline SVG)

`write_reports` is what `make demo` calls.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def write_reports(*, assignment, gradebook_path, out_dir, now: datetime | None = None,
                  late_days: int | None = None) -> dict[str, Path]:
    """Write every student's feedback page, the class overview and the CSV into ``out_dir``,
    with the roster's extensions and the late-day budget `late_days` (grader.reports.latedays).

    ``assignment``: a name, a path or a loaded `grader.assignment.Assignment`. Returns
    {"feedback": <folder of pages>, "overview": <html>, "csv": <csv>}.
    """
    from grader.assignment import load_assignment
    from grader.reports.csv_export import write_csv
    from grader.reports.feedback import feedback_filename, write_feedback
    from grader.reports.grades import grade_rows, load_overrides
    from grader.reports.overview import render_overview
    from grader.reports.source import load_results

    if isinstance(assignment, (str, Path)):
        assignment = load_assignment(assignment)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    from grader.reports.latedays import course_policy
    results = load_results(gradebook_path, assignment.name)
    course = course_policy(gradebook_path, assignment, late_days=late_days)
    overrides = load_overrides(gradebook_path, assignment)
    feedback_dir = out_dir / "feedback"
    overview = out_dir / f"{assignment.name}-overview.html"
    write_feedback(results, assignment, feedback_dir, now=now, overrides=overrides,
                   overview_href=f"../{overview.name}", course=course)
    overview.write_text(render_overview(results, assignment, now=now, overrides=overrides,
                                        page_href=lambda r: f"feedback/{feedback_filename(r)}",
                                        course=course),
                        encoding="utf-8")
    csv_path = write_csv(grade_rows(results, assignment, now=now, overrides=overrides,
                                    course=course),
                         assignment, out_dir / f"{assignment.name}-grades.csv")
    return {"feedback": feedback_dir, "overview": overview, "csv": csv_path}


__all__ = ["write_reports"]
