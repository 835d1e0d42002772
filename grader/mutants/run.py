"""Mutation testing of an assignment's checks: every mutant graded, each verdict explained.

    run_mutants(assignment, *, tasks=None, operators=None, limit=None, ...) -> MutantsReport

Flow: generate the mutants (grader.mutants.generate) -> write the reference and each mutant as
a submission folder -> grade the reference, then the mutants, with `grade_batch` (the sandboxed
pool, its progress bar) and `probe_grade` as its grade function -> a verdict per mutant:

- killed: a check that passes on the reference fails on the mutant (for one of the probe
  identities' inputs), or its grading timed out / was stopped;
- equivalent: checks ran its code, it passed every check and every value it returned matched
  the reference's (to grader.mutants.probe.DIGITS digits) on every check's inputs, for each
  probe identity (the hidden checks draw fresh inputs per identity, and the last one stretches
  every float input by 1000: the extra random inputs);
- survived: it passed every check, yet returned something the reference does not (or no
  check ran its code).

A mutant is graded with the checks of every task one of whose checks, on the reference, calls
the mutated function or a function that calls it (grader.mutants.generate.callers): the other
checks never run the mutated code, so their verdict is the reference's.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from grader.batch.driver import grade_batch
from grader.batch.gradebook import Gradebook
from grader.batch.job import resolve_assignment
from grader.markers import read_source
from grader.mutants.generate import Mutant, callers, generate
from grader.mutants.probe import probe_grade

#: The probe identities: three sets of hidden-check inputs, then the first one's inputs with
#: every float array stretched by 1000 (grader.mutants.probe).
PROBES = ("mutants-probe-1", "mutants-probe-2", "mutants-probe-3", "mutants-probe-1:x1000")
SECRET = b"mutation testing: inputs for the hidden checks, not a course secret"
REFERENCE = "reference"


@dataclass
class Outcome:
    """The verdict on one mutant and the evidence for it."""

    mutant: Mutant
    verdict: str                      # "killed" | "survived" | "equivalent"
    killed_by: list[str] = field(default_factory=list)
    ran_on: list[str] = field(default_factory=list)   # the checks that ran the mutated code
    closest: tuple[str, float, str] | None = None     # (check id, deviation, probe)
    note: str = ""


@dataclass
class MutantsReport:
    assignment: str
    outcomes: list[Outcome]
    broken_checks: list[str]          # checks that fail on the reference (not counted)
    duration_s: float = 0.0
    tasks: list[str] = field(default_factory=list)   # every task asked for, mutants or not

    def rates(self, key, groups=()) -> dict[str, tuple[int, int, int]]:
        """{group: (killed, non-equivalent, equivalent)} grouped by key(outcome); `groups`
        are listed even without mutants."""
        out: dict[str, list[int]] = {group: [0, 0, 0] for group in groups}
        for o in self.outcomes:
            row = out.setdefault(key(o), [0, 0, 0])
            row[0] += o.verdict == "killed"
            row[1] += o.verdict != "equivalent"
            row[2] += o.verdict == "equivalent"
        return {k: tuple(v) for k, v in sorted(out.items())}

    def by_task(self):
        return self.rates(lambda o: o.mutant.task, self.tasks)

    def by_operator(self):
        return self.rates(lambda o: o.mutant.operator)

    @property
    def kill_rate(self) -> float:
        """Killed / non-equivalent mutants (1.0 when there are none)."""
        killed = sum(o.verdict == "killed" for o in self.outcomes)
        counted = sum(o.verdict != "equivalent" for o in self.outcomes)
        return killed / counted if counted else 1.0

    def survivors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict == "survived"]


def spread(items: list, limit: int | None) -> list:
    """At most `limit` of `items`, evenly spaced (all of them when limit is None)."""
    if limit is None or len(items) <= limit:
        return list(items)
    return [items[(i * len(items)) // limit] for i in range(limit)]


def select_mutants(assignment, *, tasks=None, operators=None, limit=None, select=None) -> list[Mutant]:
    """The mutants to run: generated, filtered by `select(mutant)`, at most `limit` per
    (task, operator)."""
    mutants = [m for m in generate(assignment, tasks=tasks, operators=operators)
               if select is None or select(m)]
    groups: dict[tuple[str, str], list[Mutant]] = {}
    for m in mutants:
        groups.setdefault((m.task, m.operator), []).append(m)
    chosen = {id(m) for group in groups.values() for m in spread(group, limit)}
    return [m for m in mutants if id(m) in chosen]


def _write_submission(folder: Path, assignment, replace: Mutant | None = None) -> None:
    folder.mkdir(parents=True)
    for stem in assignment.modules:
        text = read_source(Path(assignment.root) / f"{stem}.py")
        if replace is not None and replace.module == stem:
            text = replace.source
        with open(folder / f"{stem}.py", "w", encoding="utf-8", newline="") as handle:
            handle.write(text)


def _grade(subs: Path, *, assignment, book: Path, probe_dir: Path, workers, runner_kind,
           runner_limits, progress: bool):
    summary = grade_batch(subs, assignment=assignment, gradebook_path=book, secret=SECRET,
                          workers=workers, runner_kind=runner_kind, runner_limits=runner_limits,
                          progress=progress, report=False,
                          grade_fn=partial(probe_grade, probe_dir=str(probe_dir)))
    if summary.internal_errors:
        raise RuntimeError("grading the mutants hit internal grader errors:\n  "
                           + "\n  ".join(summary.problems))
    with Gradebook(book) as gradebook:
        return {r.student: r for r in gradebook.submissions(assignment.name)}


def _closest(runs: list[dict], ran_on: list[str]) -> tuple[str, float, str] | None:
    """The check in which the mutant's outputs came farthest from the reference's: (check id,
    largest relative error of an output, probe identity); under the checks' own inputs when
    they show any difference, else under the stretched ones."""
    best = None
    for run in sorted(runs, key=lambda r: ":x" in r["probe"]):
        if best is not None and best[1] > 0 and ":x" in run["probe"]:
            break
        for check_id in ran_on:
            deviation = run["checks"].get(check_id, {}).get("deviation")
            if deviation is not None and (best is None or deviation > best[1]):
                best = (check_id, float(deviation), run["probe"])
    return best


def _verdict(mutant: Mutant, result, probe: dict | None, *, affected: set[str],
             broken: set[str]) -> Outcome:
    if result is None or probe is None or result.status != "graded":
        message = result.message if result is not None else "not graded"
        return Outcome(mutant, "killed", note=f"grading stopped: {message}")
    runs = probe["runs"]
    killed_by = sorted({c for run in runs for c in run["failed"] if c not in broken})
    ran_on = [c for c, seen in runs[0]["checks"].items()
              if {f.split(".")[-1] for f in seen["functions"]} & affected]
    outcome = Outcome(mutant, "killed" if killed_by else "survived", killed_by=killed_by,
                      ran_on=ran_on, closest=_closest(runs, ran_on))
    if not killed_by and ran_on and probe.get("matched") and len(runs) == len(PROBES):
        outcome.verdict = "equivalent"
    if not ran_on and not killed_by:
        outcome.note = "no check calls this function"
    return outcome


def run_mutants(assignment, *, tasks=None, operators=None, limit: int | None = None,
                select=None, workers: int | None = None, runner_kind: str = "sandbox",
                runner_limits: dict | None = None, progress: bool = True,
                work_dir=None) -> MutantsReport:
    """Generate, grade and judge the mutants of `assignment` (see the module docstring).

    tasks / operators: only mutants of those task ids / operator names. limit: at most this
    many mutants per (task, operator), evenly spread. select(mutant) -> bool: a further filter.
    """
    clock = time.monotonic()
    spec = resolve_assignment(assignment)
    mutants = select_mutants(spec, tasks=tasks, operators=operators, limit=limit, select=select)
    closure = callers(spec)
    scratch = Path(tempfile.mkdtemp(prefix="grader-mutants-", dir=work_dir))
    try:
        probe_dir = scratch / "probes"
        probe_dir.mkdir()
        grading = dict(workers=workers, runner_kind=runner_kind, runner_limits=runner_limits,
                       probe_dir=probe_dir)
        _write_submission(scratch / "ref" / REFERENCE, spec)
        (probe_dir / f"{REFERENCE}.plan.json").write_text(json.dumps({"tasks": None,
                                                                      "probes": list(PROBES)}))
        ref_result = _grade(scratch / "ref", assignment=spec, book=scratch / "ref.db",
                            progress=False, **grading)[REFERENCE]
        ref_runs = json.loads((probe_dir / f"{REFERENCE}.probe.json").read_text())["runs"]
        broken = {c for run in ref_runs for c in run["failed"]}
        expected = {run["probe"]: run["checks"] for run in ref_runs}
        specs_task = {c.check_id: c.task for c in ref_result.checks}
        plans = {}
        for index, mutant in enumerate(mutants):
            affected = closure.get(mutant.function, {mutant.function})
            checks = {c for run in ref_runs for c, seen in run["checks"].items()
                      if {f.split(".")[-1] for f in seen["functions"]} & affected}
            run_tasks = sorted({specs_task[c] for c in checks} | {mutant.task})
            student = f"m{index:05d}"
            plans[student] = (mutant, affected)
            (probe_dir / f"{student}.plan.json").write_text(json.dumps({
                "tasks": run_tasks, "probes": list(PROBES),
                "expected": {p: {c: s for c, s in chk.items() if specs_task.get(c) in run_tasks}
                             for p, chk in expected.items()}}))
            _write_submission(scratch / "subs" / student, spec, replace=mutant)
        results = _grade(scratch / "subs", assignment=spec, book=scratch / "mutants.db",
                         progress=progress, **grading) if mutants else {}
        outcomes = []
        for student, (mutant, affected) in plans.items():
            probe_file = probe_dir / f"{student}.probe.json"
            probe = json.loads(probe_file.read_text()) if probe_file.is_file() else None
            if probe is not None:
                probe["matched"] = all(
                    all(expected[run["probe"]].get(c, {}).get("digest") == s["digest"]
                        for c, s in run["checks"].items()) for run in probe["runs"])
            outcomes.append(_verdict(mutant, results.get(student), probe, affected=affected,
                                     broken=broken))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return MutantsReport(assignment=spec.name, outcomes=outcomes, broken_checks=sorted(broken),
                         duration_s=time.monotonic() - clock,
                         tasks=[t.id for t in spec.tasks if tasks is None or t.id in tasks])
