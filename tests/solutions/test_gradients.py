"""Every reference backward agrees with the numerical gradient of its forward, on every layer case
of every assignment (solutions/<a>/cases.py) and three seeds each; and the cases cover what they
must."""

import numpy as np
import pytest

from grader.assignment import load_assignment
from grader.layercases import reference_gradcheck
from grader.release.pipeline import assignment_names, repo_root

ASSIGNMENTS = assignment_names(repo_root())
CASES = tuple(c for name in ASSIGNMENTS for c in load_assignment(name).layer_cases())
GRADIENT_CASES = tuple(c for c in CASES if c.kind != "forward")

SEEDS = (0, 1, 2)


def _module(case):
    return load_assignment(case.assignment).reference_module(case.module)


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.id)
def test_reference_backward_matches_numerical_gradient(case):
    for seed in SEEDS:
        result = reference_gradcheck(case, _module(case), seed=seed)
        assert set(result["errors"]) == {"d" + name for name, _ in case.wrt}
        assert result["passed"], f"seed {seed}: {result['errors']} > {case.threshold}"
        assert result["forward_calls"] > 1


class _Skewed:
    """A module whose backward (or loss gradient) is off by a factor 1 + 1e-3 in one element:
    the smallest bug a check should still see. Every case's bar must reject it."""

    def __init__(self, module, case):
        self._module, self._case = module, case

    def __getattr__(self, name):
        fn = getattr(self._module, name)
        case = self._case
        if case.kind == "layer" and name == case.backward:
            def skewed(*a):
                grads = fn(*a)
                grads = list(grads) if isinstance(grads, tuple) else [grads]
                grads[-1] = _skew(grads[-1])
                return tuple(grads) if len(grads) > 1 else grads[0]
            return skewed
        if case.kind == "loss" and name == case.forward:
            def skewed_loss(*a, **k):
                loss, dx = fn(*a, **k)
                return loss, _skew(dx)
            return skewed_loss
        return fn


def _skew(g):
    g = np.array(g, dtype=np.float64, copy=True)
    flat = g.reshape(-1)
    i = int(np.argmax(np.abs(flat)))
    flat[i] *= 1 + 1e-3
    return g


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.id)
def test_case_threshold_rejects_a_gradient_off_by_one_part_in_a_thousand(case):
    result = reference_gradcheck(case, _Skewed(_module(case), case), seed=0)
    assert not result["passed"], result


def test_every_student_function_with_a_gradient_has_a_case():
    exercised = {f"{c.assignment}/{f}" for c in CASES for f in c.functions}
    # clip_grad_norm is not a layer (no forward/backward pair); tests/solutions/test_rnn.py
    # covers it
    not_layers = {"rnn/rnn_layers.clip_grad_norm"}
    for name in ASSIGNMENTS:
        for task in load_assignment(name).tasks:
            for function in task.functions:
                key = f"{name}/{function}"
                if key not in not_layers:
                    assert key in exercised, f"no layer case exercises {key}"


@pytest.mark.parametrize("tag", ["stride", "pad", "non_square", "overlap", "3d", "repeated",
                                 "mask", "batch1", "test_mode", "running_stats"])
def test_catalogue_holds_the_hard_configurations(tag):
    assert any(tag in c.tags for c in CASES)


def test_case_inputs_are_reproducible_float64_and_untouched_by_the_check():
    for case in CASES:
        a1, k1 = case.make_inputs(np.random.default_rng(5))
        a2, k2 = case.make_inputs(np.random.default_rng(5))
        for x, y in zip(a1, a2):
            if isinstance(x, np.ndarray):
                assert x.dtype in (np.float64, np.int64, np.bool_), case.id
                np.testing.assert_array_equal(x, y)
        for name, pos in case.wrt:
            assert a1[pos].dtype == np.float64, f"{case.id}: {name} is not float64"


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "forward"], ids=lambda c: c.id)
def test_value_only_case_is_deterministic_and_refuses_a_gradient_check(case):
    module = _module(case)
    outs = []
    for _ in range(2):
        args, kwargs = case.make_inputs(np.random.default_rng(0))
        out = getattr(module, case.forward)(*args, **kwargs)[0]
        assert np.all(np.isfinite(out))
        outs.append(out)
    np.testing.assert_array_equal(outs[0], outs[1])
    with pytest.raises(ValueError, match="value-only"):
        reference_gradcheck(case, module, seed=0)

