"""Grading one mutant (or the reference) in a batch worker, recording what each check saw.

`probe_grade` has the signature of `grader.checks.grade.grade_submission`, so the batch driver
(grader.batch) runs it in its sandboxed pool as `grade_fn`. It reads its plan from
`<probe_dir>/<student>.plan.json` (written by grader.mutants.run): the tasks whose checks to run
and the probe identities. For each identity it grades the submission check by check through a
`RecordingRunner`, which digests every value the student's code returns (and every dict it
updates in place), and writes `<probe_dir>/<student>.probe.json`:

    {"runs": [{"probe": id, "failed": [check_id, ...],
               "checks": {check_id: {"digest": hex, "functions": [...], "deviation": e}}}, ...]}

(`deviation`, for a mutant: the largest relative error between its outputs and the
reference's in that check, whose float outputs the reference run stores beside the plans.)

The first identity's results are the SubmissionResult the batch records. A mutant is graded
under the next identity (fresh hidden-check inputs: hidden seeds come from the identity) only
while it has passed every check and matched the reference's digests so far: that is the
equivalence test. An identity written `<id>:x<scale>` (a "stretched" probe) multiplies every
float array the checks send by `scale` before it reaches the student's code: inputs far from
the checks' own ranges (overflow, underflow, cancellation), where only the digests count (the
checks' verdicts compare against unstretched references). Runs in the grading worker, never
next to student code.
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
from grader.gradcheck import rel_error
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


def float_leaves(value) -> list[np.ndarray]:
    """The float arrays (and floats) inside a returned value, in order."""
    if isinstance(value, np.ndarray):
        return [value] if value.dtype.kind == "f" else []
    if isinstance(value, float):
        return [np.asarray(value)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in float_leaves(item)]
    if isinstance(value, dict):
        return [leaf for key in sorted(value, key=str) for leaf in float_leaves(value[key])]
    return []


class RecordingRunner:
    """A Runner (docs/ARCHITECTURE.md) that passes every call on and logs, per call, the
    function and a digest of what came back (results and dicts updated in place)."""

    def __init__(self, inner, *, stretch: float | None = None):
        self.inner = inner
        self.stretch = stretch
        self.log: list[tuple[str, str]] = []
        self.outputs: list[list[np.ndarray]] = []   # float leaves of each call, as the log

    def _stretched(self, value):
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            return value * self.stretch
        if isinstance(value, (list, tuple)):
            return type(value)(self._stretched(v) for v in value)
        return value  # dicts stay the caller's own objects: the runner updates them in place

    def call(self, module: str, function: str, *args, keep: tuple = (), **kwargs):
        result = self.call_many([Call(module, function, args, kwargs, tuple(keep))])[0]
        if isinstance(result, StudentError):
            raise result
        return result

    def call_many(self, calls: list[Call]) -> list:
        if self.stretch is not None:
            calls = [Call(c.module, c.function, self._stretched(tuple(c.args)),
                          {k: self._stretched(v) for k, v in c.kwargs.items()}, c.keep)
                     for c in calls]
        results = self.inner.call_many(calls)
        for call, result in zip(calls, results):
            mutated = [a for a in (*call.args, *call.kwargs.values()) if isinstance(a, dict)]
            self.log.append((f"{call.module}.{call.function}", digest_of([result, mutated])))
            self.outputs.append(float_leaves([result, mutated]))
        return results

    def __getattr__(self, name):
        return getattr(self.inner, name)


def parse_probe(probe: str) -> tuple[str, float | None]:
    """("mutants-probe-1", 1000.0) from "mutants-probe-1:x1000"; (probe, None) unstretched."""
    identity, _, scale = probe.partition(":x")
    return identity, (float(scale) if scale else None)


def _deviation(outputs: list[list[np.ndarray]], check_id: str, stored) -> float | None:
    """Largest relative error between these calls' float outputs and the reference's stored
    ones for the same check (calls and leaves matched in order, same shapes only)."""
    worst = None
    for i, leaves in enumerate(outputs):
        for j, leaf in enumerate(leaves):
            key = f"{check_id}|{i}|{j}"
            if key in stored.files:
                want = stored[key]
                if want.shape == leaf.shape:
                    with np.errstate(all="ignore"):
                        err = rel_error(np.nan_to_num(leaf), np.nan_to_num(want))
                    worst = err if worst is None else max(worst, err)
    return worst


def _run_once(folder: Path, specs, *, assignment, probe: str, secret, runner_factory,
              reference, present, store: Path | None = None,
              stored=None) -> tuple[list, dict]:
    probe, stretch = parse_probe(probe)
    runner = RecordingRunner(runner_factory(str(folder)), stretch=stretch)
    results, seen, keep = [], {}, {}
    try:
        for spec in specs:
            start = len(runner.log)
            results.extend(run_checks([spec], runner, assignment=assignment, student_id=probe,
                                      secret=secret, reference=reference, present=present))
            calls = runner.log[start:]
            digest = hashlib.sha256("|".join(f"{f}:{d}" for f, d in calls).encode()).hexdigest()
            seen[spec.id] = {"digest": digest, "functions": sorted({f for f, _ in calls})}
            outputs = runner.outputs[start:]
            if store is not None:
                keep.update({f"{spec.id}|{i}|{j}": leaf for i, leaves in enumerate(outputs)
                             for j, leaf in enumerate(leaves)})
            if stored is not None:
                seen[spec.id]["deviation"] = _deviation(outputs, spec.id, stored)
    finally:
        runner.close()
    if store is not None:
        np.savez(store, **keep)
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
    for index, probe in enumerate(plan["probes"]):
        # the reference keeps its float outputs (<probe_dir>/outputs-<i>.npz); a mutant
        # measures how far its own outputs are from them
        outputs = probe_dir / f"outputs-{index}.npz"
        stored = np.load(outputs, allow_pickle=False) if expected is not None else None
        results, seen = _run_once(folder, specs, assignment=assignment, probe=probe, secret=secret,
                                  runner_factory=runner_factory, reference=reference,
                                  present=present, stored=stored,
                                  store=outputs if expected is None else None)
        stretched = parse_probe(probe)[1] is not None
        runs.append({"probe": probe, "checks": seen,
                     "failed": [] if stretched else [
                         r.check_id for r in results if r.status != "passed" or r.score < r.max_score]})
        first = first if first is not None else results
        if expected is not None and (runs[-1]["failed"] or not _matches(seen, expected.get(probe))):
            break  # killed, or told apart from the reference: no need for more inputs
    (probe_dir / f"{student_id}.probe.json").write_text(json.dumps({"runs": runs}))
    return SubmissionResult(assignment=assignment.name, student=student_id,
                            submission_hash=submission_hash(folder, assignment.modules),
                            checks=first, status="graded", message="", started_at=started,
                            duration_s=round(time.perf_counter() - clock, 6))
