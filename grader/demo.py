"""`python -m grader demo`: the whole product on bundled data, in one command.

Stages, each printed as it runs:
1. the reference layers through the gradient toolkit (a table: case, max relative error,
   threshold, forward calls spent);
2. the release: solutions/ stripped into assignments/ and dist/, gates included;
3. for each assignment under solutions/ (in name order), a bundled class (grader.democlass:
   reference, stubs, correct alternatives, the bug catalogue, and the attacks that fit its
   modules) graded in the sandbox by the batch grader into one SQLite gradebook;
4. that gradebook printed, one line a student;
5. feedback pages, the class overview and the CSV written, their paths printed.
Stages 3-5 repeat per assignment, numbered on (3-5 for the first, 6-8 for the second), so the output reads
top to bottom: stdout is line-buffered and the progress bar shows only on a terminal.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path



def layer_table(*, seed: int = 0) -> list[dict]:
    """Every gradient case of every assignment (in name order) run in-process on the reference
    modules.

    Returns one dict per case (see `grader.layercases.reference_gradcheck`), in catalogue order.
    """
    from grader.assignment import find_solutions_root, load_assignment
    from grader.layercases import reference_gradcheck
    from grader.release.pipeline import assignment_names

    rows = []
    solutions = find_solutions_root()
    for name in assignment_names(solutions.parent):
        assignment = load_assignment(solutions / name)
        for case in assignment.layer_cases():
            if case.kind != "forward":
                rows.append(reference_gradcheck(case, assignment.reference_module(case.module),
                                                seed=seed))
    return rows


def format_layer_table(rows: list[dict]) -> str:
    """A plain-text table of `layer_table` rows, one line a case, with a closing count."""
    width = max(len(r["case"]) for r in rows)
    lines = [f"{'layer case':<{width}}  {'max rel error':>13}  {'threshold':>9}  {'calls':>6}  ok",
             "-" * (width + 40)]
    for r in rows:
        lines.append(f"{r['case']:<{width}}  {r['max_rel_error']:>13.2e}  {r['threshold']:>9.0e}"
                     f"  {r['forward_calls']:>6}  {'yes' if r['passed'] else 'NO'}")
    passed = sum(r["passed"] for r in rows)
    lines.append(f"{passed} of {len(rows)} reference gradients agree with their numerical gradient")
    return "\n".join(lines)


def format_gradebook(roster, totals: dict[str, tuple[float, float]], results: dict) -> str:
    """One line a demo student: id, score, status and the first words of what went wrong."""
    from grader.reports.grades import points_text

    lines = [f"{'student':<44} {'kind':<9} {'score':>13}  status"]
    for person in roster:
        score, possible = totals.get(person.student, (0.0, 0.0))
        result = results.get(person.student)
        status = result.status if result else "missing"
        checks = result.checks if result else []
        failed = sorted({c.task.split("/")[-1] for c in checks
                         if c.score < c.max_score and c.status != "missing"})
        stopped = next((c for c in checks if c.status in ("error", "timeout")), None)
        if result and result.status != "graded":
            detail = result.message
        elif stopped is not None:
            detail = stopped.message
        elif failed:
            detail = "lost points on " + ", ".join(failed[:3]) + (" ..." if len(failed) > 3 else "")
        else:
            detail = result.message if result else ""
        lines.append(f"{person.student:<44} {person.kind:<9} {points_text(score):>6} / "
                     f"{points_text(possible):<6} {status}  {detail}"[:160])
    return "\n".join(lines)


def run_demo(*, out_dir: Path, workers: int | None = None,
             release_dir: Path | None = None) -> int:
    """Run every stage; returns the exit code (non-zero when a stage found a problem).

    release_dir: where assignments/ and dist/ are written (default: the repository)."""
    from grader.assignment import find_solutions_root
    from grader.release import build_release, write_release

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # our lines and the batch's stay in order
    solutions = find_solutions_root()
    repo = solutions.parent
    out_dir = out_dir.resolve()
    print(f"solutions: {solutions}\noutput:    {out_dir}")

    print("\n== 1. Reference layers through the gradient toolkit\n")
    rows = layer_table()
    print(format_layer_table(rows))

    print("\n== 2. Release: solutions/ -> assignments/ + dist/ (gates: reference full marks, "
          "stubs zero, leak scan)\n")
    builds = build_release(None, repo=repo, gates=True)
    release_dir = (release_dir or repo).resolve()
    changed = write_release(builds, assignments_dir=release_dir / "assignments",
                            dist_dir=release_dir / "dist")
    for build in builds:
        print(f"{build.name}: " + "; ".join(build.notes))
    student_side = [c for c in changed if "(assignments/" in c]
    print(f"assignments/: {len(student_side)} file(s) changed; dist/: "
          f"{len(changed) - len(student_side)} file(s) written")

    gradebook_path = out_dir / "gradebook.sqlite"
    gradebook_path.unlink(missing_ok=True)
    shutil.rmtree(out_dir / "reports", ignore_errors=True)  # no page of an earlier run stays
    problems = [] if all(r["passed"] for r in rows) else ["a reference layer failed its check"]
    from grader.release.pipeline import assignment_names

    for index, assignment in enumerate(assignment_names(repo)):
        problems += grade_class(assignment, attacks=True, repo=repo, out_dir=out_dir,
                                gradebook_path=gradebook_path, workers=workers,
                                released=release_dir / "assignments" / assignment,
                                first_stage=3 + 3 * index)
    print(f"\ngradebook:      {gradebook_path}")
    for problem in problems:
        print(f"demo found a problem: {problem}")
    return 1 if problems else 0


def grade_class(assignment: str, *, attacks: bool, repo: Path, out_dir: Path,
                gradebook_path: Path, workers: int | None, released: Path,
                first_stage: int = 3) -> list[str]:
    """Stages 3-5 for one assignment's bundled class, numbered from ``first_stage``; returns
    the problems found (none: []). attacks: add the attacks of the corpus that fit the
    assignment's modules (`grader.democlass.build_demo_class`)."""
    from grader.assignment import load_assignment
    from grader.batch.driver import grade_batch
    from grader.batch.gradebook import Gradebook
    from grader.checks.secret import DEV_SECRET
    from grader.democlass import build_demo_class
    from grader.reports import write_reports
    from grader.reports.grades import grade_rows

    stage = first_stage
    print(f"\n== {stage}. {assignment}: batch-grading a bundled class in the sandbox\n")
    roster = build_demo_class(out_dir / "class" / assignment, repo=repo, assignment=assignment,
                              released=released, attacks=attacks)
    grade_batch(out_dir / "class" / assignment, assignment=assignment,
                gradebook_path=gradebook_path, secret=DEV_SECRET, workers=workers,
                runner_kind="sandbox", progress=sys.stderr.isatty(), report=True)

    print(f"\n== {stage + 1}. {assignment}: the gradebook\n")
    spec = load_assignment(assignment)
    with Gradebook(gradebook_path) as book:
        results = {r.student: r for r in book.submissions(spec.name)}
    # the same grade rows as the pages and exports (after-due checks only once it is due)
    totals = {row.student: (row.total, row.max_total)
              for row in grade_rows(list(results.values()), spec)}
    print(format_gradebook(roster, totals, results))

    print(f"\n== {stage + 2}. {assignment}: feedback pages, class overview, CSV\n")
    paths = write_reports(assignment=spec, gradebook_path=gradebook_path,
                          out_dir=out_dir / "reports")
    pages = sorted(Path(paths["feedback"]).glob(f"{assignment}-*.html"))
    print(f"feedback pages: {paths['feedback']}/{assignment}-*.html ({len(pages)} pages)")
    print(f"class overview: {paths['overview']}")
    print(f"grades CSV:     {paths['csv']}")
    if len(results) != len(roster):
        return [f"{assignment}: graded {len(results)} of {len(roster)} submissions"]
    return []


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="run the whole product on bundled data",
        description="Check every reference layer with the gradient toolkit, build the release, "
                    "batch-grade a bundled class in the sandbox, print the gradebook and write "
                    "feedback pages, the class overview and the CSV.")
    parser.add_argument("--out", type=Path, default=Path("demo-output"),
                        help="where the demo writes its files (default: demo-output)")
    parser.add_argument("--workers", type=int, default=None,
                        help="grading processes (default: the number of cores)")
    parser.set_defaults(func=lambda args: run_demo(out_dir=args.out, workers=args.workers))
