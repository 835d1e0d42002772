"""`python -m grader check`: the public checks on the student's own modules, explained.

Runs in the assignment folder of the release. The student's code runs in a child process (the
runner), never in this one; each visible check replays the reference values recorded in
public_expected.npz. First, what grading says about the files, in the same words and once: a
module that does not import (syntax error, Python 2 code, an import that raises or hangs; its
tasks are then not run), the numpy-1 names to modernise (grader.checks.files). Then, per task,
✓ or ✗, the measured relative errors against their thresholds and the diagnosis in plain
words, then an estimate of the score on the visible checks.

Student-safe: standard library, numpy and the vendored framework modules only.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from grader.checks.context import ExpectedValues, load_public_expected, public_context
from grader.checks.files import (CourseRunner, file_gate, file_notes, numpy1_aliases_enabled,
                                 probe_imports)
from grader.checks.registry import collect_paths
from grader.checks.results import CheckResult
from grader.checks.run import run_check
from grader.checks.scoring import score as score_by_task
from grader.runner.client import StudentProcess
from grader.student.hints import plain_words
from grader.student.layout import Layout, LayoutError, read_layout


@dataclass(frozen=True)
class CheckReport:
    layout: Layout
    results: list[CheckResult]
    tasks: tuple[str, ...] = ()   # the tasks asked for (empty: all)
    #: the messages of modules that did not import, once each (grading's words)
    file_errors: tuple[str, ...] = ()
    #: the other things said once about the files (numpy-1 names to modernise)
    file_notes: tuple[str, ...] = ()

    @property
    def visible_score(self) -> tuple[float, float]:
        per_task = score_by_task(self.results)
        return (sum(s for s, _ in per_task.values()), sum(m for _, m in per_task.values()))

    @property
    def all_passed(self) -> bool:
        return bool(self.results) and all(r.status == "passed" for r in self.results)


def select_tasks(layout: Layout, names) -> set[str] | None:
    """Task ids for ``names`` (ids or short names such as ``affine_backward``); None for all.
    Raises LayoutError naming the tasks when one is unknown."""
    if not names:
        return None
    ids = {t.id for t in layout.tasks}
    short = {t.id.rsplit("/", 1)[-1]: t.id for t in layout.tasks}
    chosen = set()
    for name in names:
        if name in ids or name in short:
            chosen.add(name if name in ids else short[name])
        else:
            raise LayoutError(f"no task {name!r} in {layout.name}; the tasks are: "
                              + ", ".join(short))
    return chosen


def public_specs(layout) -> list:
    """The visible checks of a release folder: its check modules' and those derived from the
    layer cases, with the points the release recorded (grader.checks.derived)."""
    return [s for s in collect_paths(layout.check_files, assignment_name=layout.name,
                                     tasks=layout.tasks, fixed_points=layout.public_points)
            if s.visibility == "visible"]


def run_public_checks(start: str | Path | None = None, *, submission: str | Path | None = None,
                      call_timeout_s: float = 10.0, tasks=None) -> CheckReport:
    """Run the visible checks of the assignment folder at/above ``start`` (only those of
    ``tasks``, ids or short names, when given) on the modules in ``submission`` (default: that
    same folder)."""
    layout = read_layout(start)
    chosen = select_tasks(layout, tasks)
    if not layout.check_files:
        raise LayoutError(f"no public checks (checks.py) in {layout.root}")
    if not layout.expected_file.is_file():
        raise LayoutError(f"{layout.expected_file} is missing: download the release again")
    specs = [s for s in public_specs(layout) if chosen is None or s.task in chosen]
    expected = ExpectedValues("replay", load_public_expected(layout.expected_file))
    folder = Path(submission or layout.root)
    present = {stem for stem in layout.modules if (folder / f"{stem}.py").is_file()}
    aliases = numpy1_aliases_enabled(layout)
    modules_of = {t.id: tuple(dict.fromkeys(f.split(".", 1)[0] for f in t.functions))
                  for t in layout.tasks}
    results = []
    with StudentProcess(folder, call_timeout_s=call_timeout_s) as student:
        runner = student if aliases else CourseRunner(student, numpy1_aliases=False)
        broken = probe_imports(runner, present)
        for spec in specs:
            # a task of no function (a network of the student's layers) lives in the main module
            modules = modules_of.get(spec.task) or layout.modules[:1]
            blocked = file_gate(spec, modules, present=present, broken=broken, folder=folder)
            results.append(blocked or run_check(spec, public_context(spec.id, runner, expected)))
    errors = tuple(dict.fromkeys(broken[stem][1] for stem in sorted(broken)))
    notes = tuple(n for n in file_notes(folder, present, broken, numpy1_aliases=aliases)
                  if n not in errors)
    return CheckReport(layout=layout, results=results, tasks=tuple(sorted(chosen or ())),
                       file_errors=errors, file_notes=notes)


def _marks(stream: TextIO) -> tuple[str, str]:
    try:
        "✓✗".encode(stream.encoding or "ascii")
        return "✓", "✗"
    except (UnicodeEncodeError, LookupError):
        return "ok", "X"


def _error_text(result: CheckResult) -> str:
    """The measured errors over their thresholds (all of them when none has a threshold)."""
    over = {n: v for n, v in result.errors.items()
            if n in result.thresholds and not v <= result.thresholds[n]}
    parts = []
    for name, value in (over or result.errors).items():
        limit = result.thresholds.get(name)
        text = f"{name}: relative error {value:.1e}"
        if limit is not None:
            text += f" (threshold {limit:.0e})"
        parts.append(text)
    return "; ".join(parts)


def format_report(report: CheckReport, stream: TextIO | None = None) -> str:
    """The text the student reads (see the module docstring)."""
    good, bad = _marks(stream or sys.stdout)
    lines = [f"Public checks of {report.layout.name}: {report.layout.title}", ""]
    for message in report.file_errors:
        lines += [f"  {bad}  {message}", "     fix this first: no check could run on that file.",
                  ""]
    for message in report.file_notes:
        lines += [f"  note: {message}", ""]
    by_task: dict[str, list[CheckResult]] = {}
    for result in report.results:
        by_task.setdefault(result.task, []).append(result)
    width = max((len(t.id) for t in report.layout.tasks), default=20)
    for task in report.layout.tasks:
        if report.tasks and task.id not in report.tasks:
            continue
        mine = by_task.get(task.id)
        if not mine:
            lines.append(f"  -  {task.id:<{width}}  no public check (graded by hidden checks)")
            continue
        got = sum(r.score for r in mine)
        most = sum(r.max_score for r in mine)
        ok = all(r.status == "passed" for r in mine)
        errors = "; ".join(filter(None, (_error_text(r) for r in mine)))
        lines.append(f"  {good if ok else bad}  {task.id:<{width}}  {got:g}/{most:g}"
                     + (f"   {errors}" if errors and not ok else ""))
        for result in mine:
            if result.status == "passed" or result.diagnosis == "file_error":
                continue  # a file that did not import is said once, above
            lines.append(f"       {result.check_id}: {result.message}")
            hint = plain_words(result.diagnosis, result.errors, result.thresholds)
            if hint and hint not in result.message:
                lines.append(f"       hint: {hint}")
    got, most = report.visible_score
    passed = sum(r.status == "passed" for r in report.results)
    lines += ["", f"{passed} of {len(report.results)} public checks pass.",
              f"Estimated score on the visible checks: {got:g} / {most:g} "
              "(hidden checks are graded after you submit)."]
    return "\n".join(lines)


def main(start: str | Path | None = None, stream: TextIO | None = None, tasks=()) -> int:
    stream = stream or sys.stdout
    try:
        report = run_public_checks(start, tasks=tasks)
    except LayoutError as exc:
        print(f"check: {exc}", file=sys.stderr)
        return 2
    print(format_report(report, stream), file=stream)
    return 0 if report.all_passed else 1
