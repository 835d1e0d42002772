"""Grading one mutant (or the reference) in a batch worker, recording what each check saw.

`probe_grade` has the signature of `grader.checks.grade.grade_submission`, so the batch driver
(grader.batch) runs it in its sandboxed pool as `grade_fn`. It reads its plan from
`<probe_dir>/<student>.plan.json` (written by grader.mutants.run): the tasks whose checks to run
and the probe identities. For each identity it grades the submission check by check through a
`RecordingRunner`, which digests every value the student's code returns (and every dict it
updates in place), and writes `<probe_dir>/<student>.probe.json`:

    {"runs": [{"probe": id, "checks": {check_id: {"digest": hex, "functions": [...]}}}, ...]}

The first identity's results are the SubmissionResult the batch records. A mutant is graded
under the next identity (fresh hidden-check inputs: hidden seeds come from the identity) only
while it has passed every check and matched the reference's digests so far: that is the
equivalence test. Runs in the grading worker, never next to student code.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from grader.checks.grade import run_checks, submission_hash
from grader.checks.registry import collect
from grader.checks.results import SubmissionResult
from grader.runner.protocol import Call, Handle, StudentError

#: Digits kept when digesting a float array, relative to its largest magnitude: two arrays whose
#: entries agree to 8 significant digits of the array's scale digest the same.
DIGITS = 8


def _scale(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    top = float(np.max(np.abs(finite))) if finite.size else 0.0
    return 2.0 ** np.ceil(np.log2(top)) if top > 0 else 1.0


def _feed(digest, value) -> None:
    if isinstance(value, StudentError):
        digest.update(f"E:{value.kind};".encode())
    elif isinstance(value, Handle):
        digest.update(b"H;")
    elif isinstance(value, (bool, np.bool_)):
        digest.update(f"b:{bool(value)};".encode())
    elif isinstance(value, (int, float, np.number)) or isinstance(value, np.ndarray):
        array = np.asarray(value)
        digest.update(f"a:{array.dtype.kind}:{array.shape};".encode())
        if array.dtype.kind in "fc":
            values = np.asarray(array, dtype=np.float64 if array.dtype.kind == "f" else np.complex128)
            values = values.real if values.dtype.kind == "c" else values
            with np.errstate(all="ignore"):
                scaled = np.round(np.nan_to_num(values / _scale(values), nan=7.0, posinf=8.0,
                                                neginf=9.0) * 10.0 ** DIGITS)
            digest.update(scaled.astype(np.int64).tobytes())
        else:
            digest.update(np.ascontiguousarray(array).tobytes())
    elif isinstance(value, (list, tuple)):
        digest.update(f"l{len(value)}[".encode())
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif isinstance(value, dict):
        digest.update(f"d{len(value)}{{".encode())
        for key in sorted(value, key=str):
            digest.update(f"{key}=".encode())
            _feed(digest, value[key])
        digest.update(b"}")
    else:
        digest.update(f"{type(value).__name__}:{value!r};".encode())


def digest_of(value) -> str:
    """A hex digest of a value crossing the runner boundary (arrays to DIGITS digits)."""
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


class RecordingRunner:
    """A Runner (docs/ARCHITECTURE.md) that passes every call on and logs, per call, the
    function and a digest of what came back (results and dicts updated in place)."""

    def __init__(self, inner):
        self.inner = inner
        self.log: list[tuple[str, str]] = []

    def call(self, module: str, function: str, *args, keep: tuple = (), **kwargs):
        result = self.call_many([Call(module, function, args, kwargs, tuple(keep))])[0]
        if isinstance(result, StudentError):
            raise result
        return result

    def call_many(self, calls: list[Call]) -> list:
        results = self.inner.call_many(calls)
        for call, result in zip(calls, results):
            mutated = [a for a in (*call.args, *call.kwargs.values()) if isinstance(a, dict)]
            self.log.append((f"{call.module}.{call.function}", digest_of([result, mutated])))
        return results

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _run_once(folder: Path, specs, *, assignment, probe: str, secret, runner_factory,
              reference, present) -> tuple[list, dict]:
    runner = RecordingRunner(runner_factory(str(folder)))
    results, seen = [], {}
    try:
        for spec in specs:
            start = len(runner.log)
            results.extend(run_checks([spec], runner, assignment=assignment, student_id=probe,
                                      secret=secret, reference=reference, present=present))
            calls = runner.log[start:]
            digest = hashlib.sha256("|".join(f"{f}:{d}" for f, d in calls).encode()).hexdigest()
            seen[spec.id] = {"digest": digest, "functions": sorted({f for f, _ in calls})}
    finally:
        runner.close()
    return results, seen


def _matches(seen: dict, expected: dict | None) -> bool:
    return expected is not None and all(
        check_id in expected and expected[check_id]["digest"] == record["digest"]
        for check_id, record in seen.items())


def probe_grade(submission_dir, *, assignment, student_id: str, secret, runner_factory,
                probe_dir: str, **_ignored) -> SubmissionResult:
    """Grade per `<probe_dir>/<student_id>.plan.json`; see the module docstring."""
    folder, probe_dir = Path(submission_dir), Path(probe_dir)
    plan = json.loads((probe_dir / f"{student_id}.plan.json").read_text())
    tasks = set(plan["tasks"]) if plan.get("tasks") is not None else None
    specs = [s for s in collect(assignment) if tasks is None or s.task in tasks]
    expected = plan.get("expected")  # {probe: {check_id: {...}}}: the reference's, for a mutant
    reference = assignment.reference_modules()
    present = {stem for stem in assignment.modules if (folder / f"{stem}.py").is_file()}
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    clock = time.perf_counter()
    runs, first = [], None
    for probe in plan["probes"]:
        results, seen = _run_once(folder, specs, assignment=assignment, probe=probe, secret=secret,
                                  runner_factory=runner_factory, reference=reference,
                                  present=present)
        runs.append({"probe": probe, "checks": seen,
                     "failed": [r.check_id for r in results
                                if r.status != "passed" or r.score < r.max_score]})
        first = first if first is not None else results
        if expected is not None and (runs[-1]["failed"] or not _matches(seen, expected.get(probe))):
            break  # killed, or told apart from the reference: no need for more inputs
    (probe_dir / f"{student_id}.probe.json").write_text(json.dumps({"runs": runs}))
    return SubmissionResult(assignment=assignment.name, student=student_id,
                            submission_hash=submission_hash(folder, assignment.modules),
                            checks=first, status="graded", message="", started_at=started,
                            duration_s=round(time.perf_counter() - clock, 6))
