"""`python -m grader demo`: the whole product on bundled data, in one command.

Stages, each printed as it runs:
1. the reference layers through the gradient toolkit (a table: case, max relative error,
   threshold, forward calls spent);
"""

from __future__ import annotations

import argparse
from pathlib import Path



def layer_table(*, seed: int = 0) -> list[dict]:
    """Every gradient case of the catalogue run in-process on the reference modules.

    Returns one dict per case (see `grader.layercases.reference_gradcheck`), in catalogue order.
    """
    from grader.assignment import load_assignment
    from grader.layercases import GRADIENT_CASES, reference_gradcheck

    modules: dict[tuple[str, str], object] = {}
    rows = []
    for case in GRADIENT_CASES:
        key = (case.assignment, case.module)
        if key not in modules:
            modules[key] = load_assignment(case.assignment).reference_module(case.module)
        rows.append(reference_gradcheck(case, modules[key], seed=seed))
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


def run_demo(*, out_dir: Path) -> int:
    """Run every stage; returns the exit code (non-zero when a stage found a problem)."""
    from grader.assignment import find_solutions_root

    print(f"solutions: {find_solutions_root()}")
    print("\n== 1. Reference layers through the gradient toolkit\n")
    rows = layer_table()
    print(format_layer_table(rows))
    return 0 if all(r["passed"] for r in rows) else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="run the whole product on bundled data",
        description="Check every reference layer with the gradient toolkit and print the table.")
    parser.add_argument("--out", type=Path, default=Path("demo-output"),
                        help="where the demo writes its files (default: demo-output)")
    parser.set_defaults(func=lambda args: run_demo(out_dir=args.out))
