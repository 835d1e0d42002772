"""`python -m grader new NAME`: scaffold solutions/NAME/ (grader.scaffold)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "new", help="scaffold solutions/NAME/: a small assignment that releases and grades at once",
        description="Write solutions/NAME/: assignment.toml, layers.py with one marked example "
                    "layer (softplus), its layer cases, visible and hidden checks, a behavioural "
                    "check with its calibration and the notebook template. The reference scores "
                    "full marks and the stubs zero; docs/AUTHORING.md goes on from there.")
    parser.add_argument("name", metavar="NAME",
                        help="the assignment's name: lowercase letters, digits, underscores")
    parser.add_argument("--title", default=None, help="the assignment's title (README, notebook)")
    parser.add_argument("--repo", type=Path, default=None,
                        help="course checkout holding solutions/ (default: this one)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from grader.scaffold import ScaffoldError, new_assignment

    repo = (args.repo or Path(__file__).resolve().parents[2]).resolve()
    try:
        folder = new_assignment(args.name, repo=repo, title=args.title)
    except ScaffoldError as error:
        print(f"new: {error}", file=sys.stderr)
        return 2
    shown = folder.relative_to(repo) if folder.is_relative_to(repo) else folder
    print(f"wrote {shown}/: " + ", ".join(sorted(p.name for p in folder.iterdir())))
    print(f"next: python -m grader release {args.name}   (docs/AUTHORING.md)")
    return 0
