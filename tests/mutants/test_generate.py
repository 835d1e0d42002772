"""Mutant generation: each operator makes the fault it names, inside solution regions only."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.mutants.generate import callers, generate
from grader.mutants.operators import OPERATORS

MODULE = textwrap.dedent('''\
    import numpy as np


    def layer_forward(x, w, b, conv_param):
        """Outside the region nothing is mutated: 1.5 * x - b"""
        eps = 1e-5
        stride = conv_param["stride"]
        N, H, W = x.shape
        ### BEGIN SOLUTION
        H_out = 1 + (H - 2) // stride
        W_out = 1 + (W - 2) // stride
        out = x.reshape(N, -1) @ w.T + b  # a comment stays
        mu = x.mean(axis=0, keepdims=True)
        std = np.sqrt(x.var(axis=0) + eps)
        scaled = 0.5 * out / N
        window = x[:, 1:H_out, :W_out]
        ### END SOLUTION
        cache = (x, w, b, mask)
        return out, cache


    def layer_backward(dout, cache):
        x, w, b, mask = cache
        ### BEGIN SOLUTION
        dx = dout * (x > 0)
        x2, w2 = cache[:2]
        dw = x.T @ dout
        dw += dout.sum(axis=0)
        np.add.at(dw, x, dout)
        for i in range(3):
            dw[i] = dout[i]
        ### END SOLUTION
        return dx, dw


    def composite(x, w, b, conv_param):
        ### BEGIN SOLUTION
        return layer_forward(x, w, b, conv_param)
        ### END SOLUTION
    ''')

TOML = textwrap.dedent('''\
    [assignment]
    name = "mini"
    modules = ["layers"]

    [[tasks]]
    id = "mini/layer_forward"
    points = 1
    functions = ["layers.layer_forward"]

    [[tasks]]
    id = "mini/layer_backward"
    points = 1
    functions = ["layers.layer_backward"]

    [[tasks]]
    id = "mini/composite"
    points = 1
    functions = ["layers.composite"]
    ''')


@pytest.fixture
def mini(tmp_path: Path):
    (tmp_path / "layers.py").write_text(MODULE)
    (tmp_path / "assignment.toml").write_text(TOML)
    (tmp_path / "__init__.py").write_text("")
    return load_assignment(tmp_path)


def _changed_lines(mutant) -> list[str]:
    return [line[1:] for line in mutant.diff.splitlines()
            if line.startswith("+") and not line.startswith("+++")]


def test_every_mutant_parses_differs_and_changes_only_its_region(mini):
    mutants = generate(mini)
    assert len(mutants) > 40
    original = MODULE.splitlines()
    regions = [(i, j) for i, j in zip(
        [n for n, line in enumerate(original, 1) if "BEGIN SOLUTION" in line],
        [n for n, line in enumerate(original, 1) if "END SOLUTION" in line])]
    for mutant in mutants:
        ast.parse(mutant.source)
        assert mutant.source != MODULE
        changed = [n for n, (a, b) in enumerate(zip(original, mutant.source.splitlines()), 1) if a != b]
        assert changed and all(any(i < n < j for i, j in regions) for n in changed), mutant.id
        assert len(mutant.source.splitlines()) == len(original)
    assert len({m.source for m in mutants}) == len(mutants)  # no duplicates
    assert len({m.id for m in mutants}) == len(mutants)


@pytest.mark.parametrize("operator, expected", [
    ("transpose", "out = x.reshape(N, -1) @ w + b  # a comment stays"),
    ("swap_operands", "out = w.T @ x.reshape(N, -1) + b  # a comment stays"),
    ("reduction_axis", "mu = x.mean(axis=1, keepdims=True)"),
    ("reduction_axis", "mu = x.mean(axis=0)"),
    ("reduction", "mu = x.sum(axis=0, keepdims=True)"),
    ("reduction", "mu = x"),
    ("accumulate", "dw = dout.sum(axis=0)"),
    ("accumulate", "dw[x] += dout"),
    ("accumulate", "dw[i] += dout[i]"),
    ("sign", "dx = -(dout * (x > 0))"),
    ("constant", "scaled = 1.0 * out / N"),
    ("constant", "scaled = 0.5 * out"),
    ("constant", "std = np.sqrt(x.var(axis=0))"),
    ("constant", "std = np.sqrt(x.var(axis=0)) + eps"),
    ("cache_swap", "w2, x2 = cache[:2]"),
    ("comparison", "dx = dout * (x >= 0)"),
    ("off_by_one", "window = x[:, 1:H_out + 1, :W_out]"),
    ("off_by_one", "for i in range(3 + 1):"),
    ("off_by_one", "H_out = 1 + (H - 2)"),
    ("dimension_swap", "W_out = 1 + (H - 2) // stride"),
    ("dimension_swap", "window = x[:, 1:W_out, :W_out]"),
    ("mask_target", "dx = x * (x > 0)"),
])
def test_operator_makes_the_named_fault(mini, operator, expected):
    lines = [line.strip() for m in generate(mini, operators=[operator]) for line in _changed_lines(m)]
    assert expected in lines


def test_every_operator_has_a_mutant_here(mini):
    assert {m.operator for m in generate(mini)} == set(OPERATORS)


def test_tasks_and_operators_filter_and_unknown_names_are_refused(mini):
    only = generate(mini, tasks=["mini/layer_backward"], operators=["comparison"])
    assert only and {(m.task, m.operator) for m in only} == {("mini/layer_backward", "comparison")}
    with pytest.raises(ValueError, match="no tasks"):
        generate(mini, tasks=["mini/nope"])
    with pytest.raises(ValueError, match="unknown mutation operators"):
        generate(mini, operators=["nope"])


def test_callers_follow_calls_between_functions(mini):
    closure = callers(mini)
    assert closure["layer_forward"] == {"layer_forward", "composite"}
    assert closure["layer_backward"] == {"layer_backward"}
