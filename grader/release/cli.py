"""`python -m grader release [ASSIGNMENT...]`: build, gate and write the student releases."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from grader.markers import MarkerError
from grader.release.build import ReleaseError
from grader.release.pipeline import build_release, repo_root, write_release


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "release", help="build assignments/<a>/ and dist/ from solutions/<a>/ (with gates)",
        description="Strip solutions, filter hidden checks, render the README and notebook, pack "
                    "the student zip and the nbgrader course, then gate: the reference scores "
                    "full marks, the stubs score zero, the leak scan finds nothing. Nothing is "
                    "written unless every gate passes; authoring mistakes are looked for "
                    "first (--check: only them).")
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                        help="assignment names under solutions/ (default: all)")
    parser.add_argument("--repo", type=Path, default=None, help="repository root (default: this one)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for assignments/ and dist/ (default: the repository)")
    parser.add_argument("--gradescope-secret", type=Path, default=None, metavar="FILE",
                        help="file holding the course secret; with it, dist/<a>-gradescope.zip "
                        "is built carrying it (without it, no Gradescope bundle is built)")
    parser.add_argument("--check", action="store_true",
                        help="only look for authoring mistakes (a task with no check or no "
                             "hidden check, points that disagree, a function nothing defines, "
                             "an uncalibrated behaviour); build and write nothing")
    parser.add_argument("--no-gates", action="store_true",
                        help="skip the gates (for debugging a template; never for a real release)")
    parser.add_argument("--min-kill-rate", type=float, default=None, metavar="R",
                        help="also gate on mutation testing: the checks must kill at least R "
                             "(0..1) of the non-equivalent mutants (default: [mutants] "
                             "min_kill_rate of assignment.toml, else no mutation gate)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    repo = (args.repo or repo_root()).resolve()
    out = (args.out or repo).resolve()
    started = time.perf_counter()
    if getattr(args, "check", False):
        return _check_only(args.assignments, repo, started)
    try:
        secret = None
        if args.gradescope_secret is not None:
            from grader.checks.secret import load_secret
            secret = load_secret(args.gradescope_secret)
        builds = build_release(args.assignments or None, repo=repo, gates=not args.no_gates,
                               gradescope_secret=secret)
        if not args.no_gates:
            _mutant_gates(builds, getattr(args, "min_kill_rate", None))
    except (ReleaseError, MarkerError, OSError, ValueError) as error:
        print(f"release stopped: {error}", file=sys.stderr)
        return 1
    changed = write_release(builds, assignments_dir=out / "assignments", dist_dir=out / "dist")
    for build in builds:
        print(f"{build.name}: " + "; ".join(build.notes))
    for line in changed:
        print(f"  {line}")
    print(f"release: {len(builds)} assignment(s), {len(changed)} change(s) "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


def _check_only(names: list[str], repo: Path, started: float) -> int:
    """`release --check`: the authoring gate of each named assignment (default: all)."""
    from grader.assignment import load_assignment
    from grader.release.authoring import authoring_problems
    from grader.release.pipeline import assignment_names

    known = assignment_names(repo)
    unknown = sorted(set(names) - set(known))
    if unknown:
        print(f"release stopped: no assignment {unknown} under {repo / 'solutions'}", file=sys.stderr)
        return 1
    failed = 0
    for name in names or known:
        try:
            problems = authoring_problems(load_assignment(repo / "solutions" / name))
        except (OSError, ValueError) as error:
            problems = [str(error)]
        failed += bool(problems)
        for line in problems:
            print(f"{name}: {line}", file=sys.stderr)
        if not problems:
            print(f"{name}: no authoring mistake found")
    print(f"release --check: {len(names or known)} assignment(s), {failed} with mistakes, "
          f"in {time.perf_counter() - started:.1f} s")
    return 1 if failed else 0


def _mutant_gates(builds, min_kill_rate: float | None) -> None:
    """The mutation gate of each build that asks for one (grader.release.gates.mutant_gate)."""
    from grader.mutants.gate import configured_min_kill_rate
    from grader.release.gates import mutant_gate

    for build in builds:
        rate = min_kill_rate if min_kill_rate is not None else configured_min_kill_rate(build.assignment)
        if rate is not None:
            mutant_gate(build, rate)
