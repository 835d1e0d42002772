"""`python -m grader bench`: measure the grader beside its baselines, in one run, into BENCHMARKS.md.

What it measures (all on the demo class of grader.democlass, built fresh without its attacks,
since one of the runs uses the plain subprocess runner, which has no isolation):
- seconds per submission through the batch grader with the sandbox, on 1 worker and on every core;
- the same class through the plain subprocess runner (what the sandbox's layers cost);
- a baseline floor for any "fresh interpreter per submission" grader (a `python -m pytest` per
  submission, as a Gradescope script or otter does): start Python, import numpy, import the
  student's module, run one trivial pytest test (plugin autoload off) — nothing graded yet;
- the sandbox's per-submission overhead against a bare fork+wait from the same warm parent: its
  set-up alone, and a whole child with one call, with and without the isolation layers;
- the cold start of the commands (`grader.coldstart`): import time of `grade` of one file, the
  student's `check` and others, beside `python -c "import numpy"`;
- unless `--no-mutants`, one `python -m grader mutants` run per assignment under solutions/
  (`grader.mutants.bench`): its totals, kill rate, wall seconds and the CPU seconds of its whole
  process tree. Last, as it takes the longest (minutes per assignment).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

BASELINE_TEST = """\
import layers


def test_imports():
    assert hasattr(layers, "affine_forward")
"""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> str:
    """One line naming the machine: CPU, cores, memory, OS, Python."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = "? GiB"
    return (f"{_cpu_model()}, {os.cpu_count()} cores, {memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def pytest_per_submission(class_dir: Path, *, limit: int = 10) -> dict:
    """Median seconds of a fresh `python -m pytest` over one trivial test per submission."""
    samples = []
    folders = sorted(p for p in class_dir.iterdir() if (p / "layers.py").is_file())[:limit]
    for folder in folders:
        with tempfile.TemporaryDirectory(prefix="grader-bench-pytest-") as tmp:
            for file in folder.glob("*.py"):
                (Path(tmp) / file.name).write_bytes(file.read_bytes())
            (Path(tmp) / "test_baseline.py").write_text(BASELINE_TEST)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "test_baseline.py"], cwd=tmp, capture_output=True, timeout=120,
                           env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
            samples.append(time.perf_counter() - start)
    samples.sort()
    return {"submissions": len(samples), "median_s": samples[len(samples) // 2] if samples else None}


def run_bench(*, output: Path, workers: int | None = None, overhead_n: int = 200,
              mutants: bool = True, mutants_limit: int | None = None) -> dict:
    """Run every measurement, write the Markdown report to `output`, return the figures.
    mutants=False skips the mutation runs; mutants_limit is their `--limit`."""
    from grader.assignment import find_solutions_root
    from grader.batch.bench import seconds_per_submission
    from grader.coldstart import cold_start
    from grader.democlass import build_demo_class
    from grader.release.pipeline import assignment_names
    from grader.runner.bench import sandbox_overhead

    repo = find_solutions_root().parent
    cores = workers or os.cpu_count() or 1
    figures: dict = {"machine": machine(),
                     "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    with tempfile.TemporaryDirectory(prefix="grader-bench-class-") as tmp:
        class_dir = Path(tmp) / "class"
        # no attacks: the plain subprocess runner has no isolation, and a fork bomb there is real
        roster = build_demo_class(class_dir, repo=repo, assignment="backprop", attacks=False)
        figures["class_size"] = len(roster)
        print(f"bench: demo class of {len(roster)} submissions", flush=True)
        figures["sandbox_1"] = seconds_per_submission(class_dir, "backprop", 1)
        print(f"bench: sandbox, 1 worker: {figures['sandbox_1']['seconds_per_submission']} s/sub",
              flush=True)
        figures["sandbox_n"] = seconds_per_submission(class_dir, "backprop", cores)
        print(f"bench: sandbox, {cores} workers: "
              f"{figures['sandbox_n']['seconds_per_submission']} s/sub", flush=True)
        figures["subprocess_n"] = seconds_per_submission(class_dir, "backprop", cores,
                                                         runner_kind="subprocess")
        figures["dask_n"] = seconds_per_submission(class_dir, "backprop", cores, scheduler="local")
        print(f"bench: sandbox on a Dask LocalCluster, {cores} workers: "
              f"{figures['dask_n']['seconds_per_submission']} s/sub", flush=True)
        figures["pytest"] = pytest_per_submission(class_dir)
        print(f"bench: pytest per submission: {figures['pytest']['median_s']:.3f} s", flush=True)
    figures["overhead"] = sandbox_overhead(n=overhead_n)
    print(f"bench: sandbox set-up {figures['overhead']['setup_ratio']:.2f}x a bare fork+wait",
          flush=True)
    figures["cold_start"] = cold_start(repo)
    print("bench: cold start: " + "; ".join(f"{r['label']} {r['import_s']:.3f} s"
                                            for r in figures["cold_start"]), flush=True)
    figures["mutants"] = None
    if mutants:
        from grader.mutants.bench import time_mutants
        figures["mutants"] = []
        for name in assignment_names(repo):
            row = time_mutants(name, workers=cores, limit=mutants_limit)
            figures["mutants"].append(row)
            print(f"bench: mutants of {name}: {row['total']} in {row['wall_s']:.0f} s wall, "
                  f"{row['cpu_s']:.0f} CPU-s", flush=True)
    output.write_text(render(figures), encoding="utf-8")
    print(f"bench: wrote {output}")
    return figures


def render(f: dict) -> str:
    """BENCHMARKS.md from the figures of `run_bench`."""
    from grader.coldstart import render_rows
    from grader.mutants.bench import render_rows as mutants_rows

    s1, sn, sp, o = f["sandbox_1"], f["sandbox_n"], f["subprocess_n"], f["overhead"]
    dk = f["dask_n"]
    return f"""# Benchmarks

Measured by `make bench` (`python -m grader bench --output BENCHMARKS.md`) on {f['date']}.
Machine: {f['machine']}.
Rerun the command to refresh every figure; nothing below is edited by hand.

## Seconds per submission, demo class ({f['class_size']} submissions of `backprop`)

The demo class without its attacks (the reference, the stubs, the correct alternatives and the
bug catalogue): one of the runs below uses the plain subprocess runner, which has no isolation.
Every submission gets every check (visible and hidden gradient checks, behavioural checks);
wall clock includes discovery, unpacking, the worker pool and gradebook writes.

| grader | workers | seconds per submission | submissions per minute |
| --- | --- | --- | --- |
| this grader, sandbox | 1 | {s1['seconds_per_submission']} | {s1['submissions_per_minute']} |
| this grader, sandbox | {sn['workers']} | {sn['seconds_per_submission']} | {sn['submissions_per_minute']} |
| this grader, plain subprocess runner (no isolation) | {sp['workers']} | {sp['seconds_per_submission']} | {sp['submissions_per_minute']} |
| this grader, sandbox, on a Dask LocalCluster (`grade --scheduler local`, cluster start-up included) | {dk['workers']} | {dk['seconds_per_submission']} | {dk['submissions_per_minute']} |
| baseline: fresh `python -m pytest` per submission, one trivial test, nothing graded (plugin autoload off) | 1 | {f['pytest']['median_s']:.3f} (median of {f['pytest']['submissions']}) | |

For scale, DESIGN.md reports on this machine kind: nbgrader 0.9.6 `autograde` 1.27 s and
otter-grader 7.0.0 `otter run` 3.38 s per submission of a 9-test notebook (not rerun here).

## Sandbox overhead per submission (n = {o['n']}, medians, from the same warm worker)

| what the child does | milliseconds | against bare fork+wait |
| --- | --- | --- |
| bare: `fork()`, `_exit`, `waitpid` | {o['bare_fork_wait_ms']:.2f} | 1.00x |
| the sandbox's set-up: fork, setsid, death with the worker, fds, rlimits, capability drop, no_new_privs, Landlock, seccomp, exit, `waitpid` (target: within 2x) | {o['setup_ms']:.2f} | {o['setup_ratio']:.2f}x |
| a whole sandboxed child: that set-up, the ready frame, importing the submission, one call, exit | {o['sandboxed_child_ms']:.2f} | {o['ratio']:.2f}x |
| the same whole child without the isolation layers | {o['unconfined_child_ms']:.2f} | {o['unconfined_child_ms'] / o['bare_fork_wait_ms']:.2f}x |

The sandbox's own overhead is the set-up row: {o['setup_ratio']:.2f}x a bare fork+wait,
{'within' if o['setup_ratio'] <= 2 else 'over'} the 2x target. A whole child also imports the
submission and answers a call, work any runner pays: with the isolation layers it takes
{o['layers_ratio']:.2f}x what it takes without them. Grader side, end to end (job dir, worker
request, one call, close): {o['end_to_end_ms']:.2f} ms.

Isolation layers active in that run: {o['layers']}.

## Cold start (medians of 5 fresh interpreters, `python -X importtime`)

Import time is the sum of every module's own import time in that run; CPU time is the whole
run's (for `grade`, grading the stubs included).

{render_rows(f['cold_start'])}

## Mutation testing (`python -m grader mutants`, docs/MUTANTS.md)

{_mutants_section(f.get('mutants'), mutants_rows)}
"""


def _mutants_section(rows: list[dict] | None, table) -> str:
    if rows is None:
        return "Not measured in this run (`--no-mutants`)."
    orphans = sum(r["orphans"] for r in rows)
    why = ("A plain `getrusage(RUSAGE_CHILDREN)` delta around the command would miss part of it: "
           f"{orphans} processes of these trees were orphaned (their parent exited without "
           "reaping them: the batch pool's processes do not reap their sandbox workers, so every "
           "sandboxed child a worker reaped goes uncounted with it; a sandbox worker does not "
           "reap the last child it released; multiprocessing's resource tracker is not reaped). "
           "`grader.proctree` makes itself their child subreaper, reaps them and counts them "
           "(last column)." if orphans else "No process of these trees was orphaned.")
    return f"""One run of the command per assignment under solutions/, started from a temporary
folder (its HTML page goes there). Wall: until the command exits. CPU: user + system seconds
of every process of its tree (the command, its pool processes, their sandbox workers, every
sandboxed child), measured by `python -m grader.proctree`. {why}

{table(rows)}"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="measure the grader beside its baselines and write BENCHMARKS.md",
        description="Grade the demo class through the batch grader (sandbox, 1 worker and all "
                    "cores; plain subprocess runner), time a fresh pytest per submission as the "
                    "baseline, time the sandbox against a bare fork+wait and the commands' cold "
                    "start, and (unless --no-mutants) time `grader mutants` on each assignment.")
    parser.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"),
                        help="where to write the report (default: BENCHMARKS.md)")
    parser.add_argument("--workers", type=int, default=None,
                        help="workers for the parallel runs (default: the number of cores)")
    parser.add_argument("--no-mutants", action="store_true",
                        help="skip the mutation runs (minutes per assignment)")
    parser.add_argument("--mutants-limit", type=int, default=None, metavar="N",
                        help="pass --limit N to each mutation run (at most N mutants per task and "
                             "operator; default: all of them)")
    parser.set_defaults(func=lambda args: run_bench(
        output=args.output, workers=args.workers, mutants=not args.no_mutants,
        mutants_limit=args.mutants_limit) and 0)
