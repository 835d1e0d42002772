"""Feedback pages: one self-contained HTML file per student and assignment.

Self-contained: inline CSS, inline SVG plots, no script, no external URL. Which checks and which
of their details appear is decided in `grader.reports.view`; plots come from the result's
``plots`` payload (the student's own curves, when the grading recorded them) drawn over the
reference's curves (see `grader.reports.curves`).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from grader.checks.results import SubmissionResult
from grader.checks.curves import ReferenceCaller, plot_payload
from grader.reports.plots import render_plots
from grader.reports.render import render
from grader.reports.view import feedback_view

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@lru_cache(maxsize=8)
def _reference_payload_cached(name: str, root: str, modules: tuple[str, ...]) -> dict:
    from grader.assignment import load_assignment  # grader side only

    assignment = load_assignment(root)
    return plot_payload(ReferenceCaller(assignment.reference_modules()), modules=modules,
                        strict=True)


def reference_payload(assignment) -> dict:
    """The reference's plots payload for an assignment (computed once per process)."""
    return _reference_payload_cached(assignment.name, str(assignment.root), tuple(assignment.modules))


def student_payload(result: SubmissionResult) -> dict | None:
    """The student's curves recorded by the grading (``SubmissionResult.plots``), if any."""
    payload = getattr(result, "plots", None)
    return payload if isinstance(payload, dict) and payload else None


@lru_cache(maxsize=64)
def _plots_cached(student_json: str, reference_json: str) -> tuple:
    return tuple(render_plots(json.loads(student_json), json.loads(reference_json)))


def plots_for(result: SubmissionResult, assignment) -> tuple:
    """The page's plots; identical payloads (e.g. every student without recorded curves) are
    drawn once per process."""
    student = student_payload(result)
    return _plots_cached(json.dumps(student, sort_keys=True),
                         json.dumps(reference_payload(assignment), sort_keys=True))


def render_feedback(result: SubmissionResult, assignment, *, now: datetime | None = None,
                    with_plots: bool = True, overrides=(), overview_href: str | None = None,
                    course=None) -> str:
    """The HTML of one student's feedback page (``overrides``: the student's TA overrides;
    ``overview_href``: a relative link to the class overview, for the TA's copy; ``course``:
    the extensions and late-day budget, grader.reports.latedays.CoursePolicy)."""
    plots = ()
    view = feedback_view(result, assignment, now=now, overrides=overrides,
                         overview_href=overview_href, course=course)
    if with_plots and result.status == "graded" and view.outcome is None:
        plots = plots_for(result, assignment)
    return render("feedback.html.j2", view=replace(view, plots=tuple(plots)))


def feedback_filename(result: SubmissionResult) -> str:
    """A file name for the page that cannot escape its folder (student ids are untrusted)."""
    student = _SAFE_NAME.sub("_", result.student).strip("._") or "student"
    return f"{result.assignment}-{student}.html"


def write_feedback(results, assignment, out_dir: str | Path, *, now: datetime | None = None,
                   overrides: dict | None = None, overview_href: str | None = None,
                   course=None) -> dict[str, Path]:
    """Write one page per result into ``out_dir``; return {student: path}. ``overrides``:
    {student: [Override]} (grader.reports.grades.load_overrides); ``course``: the extensions
    and late-day budget (grader.reports.latedays.CoursePolicy)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    overrides = overrides or {}
    for result in results:
        path = out_dir / feedback_filename(result)
        path.write_text(render_feedback(result, assignment, now=now,
                                        overrides=overrides.get(result.student, ()),
                                        overview_href=overview_href, course=course),
                        encoding="utf-8")
        paths[result.student] = path
    return paths
