"""`python -m grader grade PATH --assignment A`: one submission, or a whole folder of them.

PATH is one submission (a folder holding the assignment's modules, a lone module file such as
layers.py, or one zip): it is graded here and printed as a table (or JSON with --json).
Otherwise PATH is a folder of submissions (a folder per student, zips named <student>.zip,
nbgrader's submitted/ tree, or an unzipped Canvas or Moodle download; ids come from these
names, or the --roster, never from a zip's manifest): batch-graded in a pool into the
gradebook, with a progress bar and a summary; with --scheduler, on a Dask cluster instead of
the local pool.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from grader.usage import one_line_errors, resolve

DEFAULT_GRADEBOOK = os.path.join("grades", "gradebook.sqlite")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "grade", help="grade one submission or a folder of them",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", help="a submission (folder, .py, .zip) or a folder of submissions")
    parser.add_argument("--assignment", required=True, help="assignment name (solutions/<name>)")
    parser.add_argument("--student", help="student id of a single submission (default: the "
                        "folder or zip name; a manifest never names the student)")
    parser.add_argument("--json", action="store_true",
                        help="print the SubmissionResult (one) or the summary (batch) as JSON")
    parser.add_argument("--gradebook", default=None,
                        help=f"SQLite gradebook (batch default: ./{DEFAULT_GRADEBOOK}; a single "
                        "submission is recorded only when this is given)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: the number of cores)")
    parser.add_argument("--regrade", action="store_true",
                        help="grade again what the gradebook already holds, and overwrite it")
    parser.add_argument("--runner", choices=("sandbox", "subprocess"), default="sandbox",
                        help="how student code runs (default: sandbox)")
    parser.add_argument("--secret-file", default=None,
                        help="file holding the course secret (default: $GRADER_SECRET, else the "
                        "documented dev default, with a warning)")
    parser.add_argument("--submission-timeout", type=float, default=None, metavar="SECONDS",
                        help="wall-clock backstop: stop a submission still grading this long "
                        "after its grading started (batch default: 600; sent back once first when "
                        "the machine is overloaded). The student's budgets are CPU time and come "
                        "first: 10 s per call, 120 s per submission")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="batch only: grade on a Dask cluster instead of the local pool: "
                        "'local' starts a LocalCluster of --workers processes here, an address "
                        "such as tcp://host:8786 uses a running one (every worker needs the course "
                        "at the same path)")
    parser.add_argument("--roster", default=None, metavar="CSV",
                        help="batch only: the course roster (columns student, and optionally "
                        "name, email, lms_id, section, extension_days, extension_days:<assignment>)"
                        "; every student on it gets a gradebook row, 'no submission' at 0")
    parser.add_argument("--submitted-at", default=None, metavar="CSV", dest="times",
                        help="batch only: trusted submission times (columns student, "
                        "submitted_at in ISO 8601); they win over every other source")
    from grader.batch.limits import MB, OPTIONS, WHAT, Limits
    defaults = Limits()
    for name, option in OPTIONS.items():
        value = getattr(defaults, name)
        sized = name.endswith("_bytes")
        parser.add_argument(option, type=float, default=None, dest=name,
                            metavar="MB" if sized else "N",
                            help=f"limit: {WHAT[name]} (default: "
                            f"{value / MB:g} MB)" if sized else f"limit: {WHAT[name]} "
                            f"(default: {value:g})")
    # the student's budgets (grader.runner: CPU seconds per call and per submission, RLIMIT_AS)
    parser.add_argument("--call-cpu", type=float, default=None, metavar="SECONDS",
                        dest="call_timeout_s",
                        help="budget: CPU seconds one call of a student function may use "
                        "(default: 10)")
    parser.add_argument("--submission-cpu", type=float, default=None, metavar="SECONDS",
                        dest="total_timeout_s",
                        help="budget: CPU seconds all the calls of one submission may use "
                        "(default: 120)")
    parser.add_argument("--memory-mb", type=float, default=None, metavar="MB",
                        help="sandbox runner only: address space (RLIMIT_AS) of a student "
                        "process (default: 2048)")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bar (there is none when stderr is not a terminal)")
    parser.set_defaults(func=one_line_errors("grade", run))


def limits_of(args: argparse.Namespace):
    """The unpacking Limits the size options ask for (MB for sizes)."""
    from grader.batch.limits import MB, OPTIONS, Limits
    given = {}
    for name in OPTIONS:
        value = getattr(args, name, None)
        if value is not None:
            given[name] = int(value * MB) if name.endswith("_bytes") else type(
                getattr(Limits(), name))(value)
    return Limits(**given)


def runner_limits_of(args: argparse.Namespace) -> dict:
    """The runner budgets --call-cpu, --submission-cpu and --memory-mb ask for (only those
    given; the runner's defaults stand for the rest)."""
    from grader.batch.limits import MB
    given = {name: getattr(args, name) for name in ("call_timeout_s", "total_timeout_s")
             if getattr(args, name, None) is not None}
    if getattr(args, "memory_mb", None) is not None:
        given["memory_bytes"] = int(args.memory_mb * MB)
    return given


def course_secret(secret_file: str | None) -> bytes:
    """--secret-file, else $GRADER_SECRET, else the dev default with a warning on stderr."""
    from grader.checks.secret import DEV_SECRET, SECRET_ENV, load_secret
    if secret_file is None and not os.environ.get(SECRET_ENV, "").strip():
        print(f"warning: no course secret (${SECRET_ENV} or --secret-file); using the dev "
              f"default {DEV_SECRET!r}: hidden inputs are predictable, do not use it for a real "
              "course", file=sys.stderr)
    return load_secret(secret_file, allow_dev_default=True)


def run(args: argparse.Namespace) -> int:
    from grader.batch.discover import is_single_submission
    spec = resolve(args.assignment)
    secret = course_secret(args.secret_file)
    if not os.path.exists(args.path):
        print(f"grade: no such file or folder: {args.path}", file=sys.stderr)
        return 2
    if args.memory_mb is not None and args.runner != "sandbox":
        print("grade: --memory-mb applies to --runner sandbox", file=sys.stderr)
        return 2
    if is_single_submission(args.path, modules=tuple(spec.modules)):
        return _run_single(args, spec, secret)
    return _run_batch(args, spec, secret)


def _run_single(args, spec, secret) -> int:
    from grader.batch.gradebook import Gradebook
    from grader.batch.job import possible_points, result_total
    from grader.batch.single import grade_one
    from grader.checks.table import format_table
    if args.scheduler:
        print("grade: --scheduler applies to a folder of submissions; one submission is graded "
              "here", file=sys.stderr)
        return 2
    if args.roster or args.times:
        print("grade: --roster and --submitted-at apply to a folder of submissions",
              file=sys.stderr)
        return 2
    result = grade_one(args.path, assignment=spec, secret=secret, student=args.student,
                       runner_kind=args.runner, runner_limits=runner_limits_of(args),
                       limits=limits_of(args))
    if args.gradebook:
        score, most = result_total(result, possible_points(spec))
        with Gradebook(args.gradebook) as book:
            book.record(result, score=score, max_score=most, replace=args.regrade)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(format_table(result))
    return 0 if result.status == "graded" else 1


def _run_batch(args, spec, secret) -> int:
    from grader.batch.driver import SUBMISSION_TIMEOUT_S, grade_batch
    from grader.batch.roster import RosterError
    if args.student:
        print("grade: --student applies to a single submission, not a folder of them",
              file=sys.stderr)
        return 2
    cluster_errors: tuple = ()
    if args.scheduler:
        from grader.batch.cluster import ClusterError
        cluster_errors = (ClusterError,)
    try:
        summary = grade_batch(args.path, assignment=spec, secret=secret,
                              gradebook_path=args.gradebook or DEFAULT_GRADEBOOK,
                              workers=args.workers, regrade=args.regrade, runner_kind=args.runner,
                              runner_limits=runner_limits_of(args),
                              progress=not (args.no_progress or args.json)
                              and sys.stderr.isatty(),  # a bar in a log file is one huge line
                              report=not args.json,
                              submission_timeout_s=args.submission_timeout or SUBMISSION_TIMEOUT_S,
                              scheduler=args.scheduler, limits=limits_of(args),
                              roster_path=args.roster, times_path=args.times)
    except (RosterError, ValueError, OSError) as exc:  # a bad roster / times CSV / folder
        print(f"grade: {exc}", file=sys.stderr)
        return 2
    except cluster_errors as exc:
        print(f"grade: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
    return 1 if summary.internal_errors else 0
