"""No value a student function returns can raise in the grader (issue 11).

Two tests. Through the real sandbox: one submission per hostile kind (HOSTILE), every function of
the assignment returning that value, is graded with the rest of its class in one batch (both
assignments); every check of every one is a recorded "failed" result whose message names a
function of the assignment, none is "error" (which means the grader broke: these functions
never raise).

With a fake runner, wider than a child could be: every call of a whole grading (every check,
visible and hidden, and the feedback curves) is answered with a random value: nested lists,
tuples and dicts, arrays of every allowed dtype and of random or plausible shapes (NaN and
infinity included), huge and tiny numbers, strings, Handles, student errors. Every value first
crosses the real protocol (encoded, framed, decoded), as a reply from a child would. Whatever
comes back, grade_submission returns a SubmissionResult whose every check is a recorded result
with a message, and none is an internal grader error (grade.internal_check_error: a check that
raised on a value it should have validated).
"""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from grader.assignment import load_assignment
from grader.batch.driver import grade_batch
from grader.batch.gradebook import Gradebook
from grader.checks.grade import grade_submission
from grader.checks.registry import collect
from grader.checks.secret import DEV_SECRET
from grader.runner.protocol import (INT_MAX, INT_MIN, EncodeError, Handle, StudentError,
                                    encode_frame, read_frame)

DTYPES = ["bool", "int8", "int64", "uint8", "uint64", "float16", "float32", "float64"]
numbers = (st.integers(INT_MIN, INT_MAX) | st.floats(allow_nan=True, allow_infinity=True)
           | st.sampled_from([0, 1, -1, 2 ** 63 - 1, -2 ** 63, 1e308, -1e308, 5e-324, float("nan"),
                              float("inf"), -float("inf")]))
small_arrays = st.sampled_from(DTYPES).flatmap(
    lambda dtype: hnp.arrays(np.dtype(dtype), hnp.array_shapes(min_dims=0, max_dims=4, max_side=5),
                             elements=None))
leaves = (st.none() | st.booleans() | numbers | st.text(max_size=40) | small_arrays
          | st.builds(Handle, st.integers(INT_MIN, INT_MAX))
          | st.sampled_from(["x" * 100_000, "\x00\ud7ff"]))
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.tuples(inner, inner, inner)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=16)
fills = st.sampled_from([0.0, 1.0, -1.0, np.nan, np.inf, -np.inf, 1e300, 1e-300])


def _cross(value):
    """`value` as the grader receives it from a child: encoded, framed and decoded."""
    with tempfile.TemporaryFile() as handle:
        for chunk in encode_frame({"ok": True, "value": value}):
            handle.write(chunk)
        handle.flush()
        handle.seek(0)
        return read_frame(handle.fileno())["value"]


answers = st.one_of(
    st.tuples(st.just("error"), st.sampled_from(["exception", "timeout", "crashed", "bad_return",
                                                  "not_implemented"])),
    st.tuples(st.just("like"), fills, st.sampled_from(DTYPES), values, st.integers(1, 3)),
    st.tuples(st.just("value"), values))


class RandomRunner:
    """The Runner interface; the calls are answered in turn from `script` (drawn by hypothesis)."""

    def __init__(self, script):
        self.script = script
        self.calls = 0

    def _answer(self, call):
        self.calls += 1
        if self.calls > 300:  # keep an example short: as if a budget ran out
            return StudentError("timeout", "the submission used up its total time budget",
                                function="")
        answer = self.script[self.calls % len(self.script)]
        if answer[0] == "error":
            return StudentError(answer[1], "boom")
        if answer[0] == "like":  # plausible: shaped like an argument, filled with anything
            _, fill, dtype, extra, arity = answer
            arrays = [a for a in call.args if isinstance(a, np.ndarray)] or [np.zeros(3)]
            like = arrays[self.calls % len(arrays)]
            out = np.full(like.shape, fill, dtype=np.float64)
            if dtype != "float64":
                with np.errstate(invalid="ignore", over="ignore"):
                    out = out.astype(dtype)
            value = out if arity == 1 else (out,) + (extra,) * (arity - 1)
        else:
            value = answer[1]
        try:
            return _cross(value)
        except EncodeError:
            return StudentError("bad_return", "cannot be sent")

    def call_many(self, calls):
        return [self._answer(call) for call in calls]

    def call(self, module, function, *args, keep=(), **kwargs):
        from grader.runner.protocol import Call
        result = self.call_many([Call(module, function, args, kwargs, tuple(keep))])[0]
        if isinstance(result, StudentError):
            raise result
        return result

    def drop(self, *handles):
        pass

    def close(self):
        pass


@pytest.fixture(scope="module")
def submission(tmp_path_factory):
    folder = tmp_path_factory.mktemp("random")
    for stem in ("layers", "layer_utils", "rnn_layers"):
        (folder / f"{stem}.py").write_text("# answers come from the fake runner\n")
    return folder


@pytest.mark.parametrize("name", ["backprop", "rnn"])
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(script=st.lists(answers, min_size=1, max_size=12), pick=st.integers(0, 10 ** 6))
def test_random_return_values_always_become_recorded_results(name, submission, script, pick):
    assignment = load_assignment(name)
    tasks = [t.id for t in assignment.tasks]
    task = None if pick % 5 == 0 else tasks[pick % len(tasks)]  # a whole grading now and then
    result = grade_submission(submission, assignment=assignment, student_id="fuzz",
                              secret=DEV_SECRET, runner_factory=lambda folder: RandomRunner(script),
                              tasks=None if task is None else [task], with_plots=task is None)
    assert result.checks
    for check in result.checks:
        assert check.status in ("passed", "failed", "error", "not_implemented", "missing", "timeout")
        assert check.status == "passed" or check.message, check
        assert not check.message.startswith("internal grader error"), check
        assert 0.0 <= check.score <= check.max_score


#: kind -> what every function of the submission returns (x: its first array argument)
HOSTILE = {
    "float": "1.5",
    "five_values": "(x, x, x, x, x)",
    "nan_and_inf": "(np.full(x.shape, np.nan), np.full(x.shape, np.inf))",
    "dict": "{'out': x}",
    "huge_int": "10 ** 400",
    "object_array": "np.array([x, None], dtype=object)",
    "int_array_and_clobbered_dicts": "(x.astype(np.int64), None)",
}
HOSTILE_MODULE = """import numpy as np


def _hostile(args, kwargs):
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    x = arrays[0] if arrays else np.zeros(3)
    if {clobber}:  # every dict argument (bn_param...) comes back full of strings
        for d in [a for a in list(args) + list(kwargs.values()) if isinstance(a, dict)]:
            for key in list(d) + ["mode", "running_mean", "running_var"]:
                d[key] = "hostile"
    return {value}
"""


def reference_functions(assignment, stem: str) -> list[str]:
    """The public functions the reference module `stem` defines (what a submission defines)."""
    tree = ast.parse((Path(assignment.root) / f"{stem}.py").read_text())
    return [node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]


def write_hostile(folder: Path, assignment, kind: str) -> None:
    """A submission of `assignment` whose every function returns HOSTILE[kind]."""
    folder.mkdir(parents=True)
    for stem in assignment.modules:
        source = HOSTILE_MODULE.format(value=HOSTILE[kind], clobber=kind.endswith("dicts"))
        for name in reference_functions(assignment, stem):
            source += f"\n\ndef {name}(*args, **kwargs):\n    return _hostile(args, kwargs)\n"
        (folder / f"{stem}.py").write_text(source)


@pytest.mark.parametrize("name", ["backprop", "rnn"])
def test_every_check_fails_hostile_returns_with_a_message_naming_the_function(name, tmp_path):
    assignment = load_assignment(name)
    klass = tmp_path / "class"
    for kind in HOSTILE:
        write_hostile(klass / kind, assignment, kind)
    summary = grade_batch(klass, assignment=assignment, gradebook_path=tmp_path / "gb.sqlite",
                          secret=DEV_SECRET, workers=2, progress=False, work_dir=tmp_path)
    assert summary.internal_errors == 0 and summary.graded == len(HOSTILE), summary.problems
    checks = {spec.id for spec in collect(assignment)}
    functions = {f for stem in assignment.modules for f in reference_functions(assignment, stem)}
    with Gradebook(tmp_path / "gb.sqlite") as book:
        for kind in HOSTILE:
            assert book.latest(name, kind).status == "graded"
            rows = book.check_rows(name, kind)
            assert {row["check_id"] for row in rows} == checks, kind
            for row in rows:
                assert row["status"] == "failed", (kind, row)
                assert any(f in row["message"] for f in functions), (kind, row)
