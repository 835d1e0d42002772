"""The gradient toolkit: numerical gradients, rel_error, sparse and directional checks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from grader.gradcheck import (
    GradCheck,
    directional_grad_check,
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    rel_error,
    sparse_grad_check,
)

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


def random_quadratic(seed: int, n: int):
    """f(x) = ½ xᵀAx + bᵀx with its analytic gradient (A + Aᵀ)/2 x + b."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal(n)
    return (lambda x: 0.5 * x @ a @ x + b @ x), (lambda x: 0.5 * (a + a.T) @ x + b)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12))
def test_numerical_gradient_of_random_quadratics_matches_the_analytic_one(seed, n):
    f, grad = random_quadratic(seed, n)
    x = np.random.default_rng(seed + 1).standard_normal(n)
    # Centred differences are exact on quadratics up to round-off: ~eps * |f| / h ≈ 1e-10 here.
    assert rel_error(eval_numerical_gradient(f, x), grad(x)) < 1e-6


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 8), m=st.integers(1, 8))
def test_numerical_gradient_array_matches_a_linear_map_transposed(seed, n, m):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((m, n))
    x, df = rng.standard_normal(n), rng.standard_normal(m)
    assert rel_error(eval_numerical_gradient_array(lambda v: w @ v, x, df), w.T @ df) < 1e-7


@given(a=arrays(np.float64, st.integers(0, 20), elements=finite),
       b=arrays(np.float64, st.integers(0, 20), elements=finite))
def test_rel_error_is_symmetric(a, b):
    n = min(a.size, b.size)
    assert rel_error(a[:n], b[:n]) == rel_error(b[:n], a[:n])


@given(a=arrays(np.float64, st.tuples(st.integers(0, 5), st.integers(1, 5)), elements=finite))
def test_rel_error_is_zero_on_equal_inputs(a):
    assert rel_error(a, a.copy()) == 0.0


def test_rel_error_follows_cs231n_definition():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 3.0])) == pytest.approx(1 / 5)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(np.array([1e-9]), np.array([0.0])) == pytest.approx(1e-9 / 1e-8)


def test_directional_check_flags_one_corrupted_element_in_999_of_1000_trials():
    flagged = 0
    for trial in range(1000):
        rng = np.random.default_rng(trial)
        w = rng.standard_normal((6, 30))
        x = rng.standard_normal(30)
        f = lambda v: float(np.sum(np.tanh(w @ v)))  # noqa: E731
        true_grad = w.T @ (1 - np.tanh(w @ x) ** 2)
        corrupted = true_grad.copy()
        i = rng.integers(0, 30)
        corrupted[i] += rng.choice([-1, 1]) * max(0.1, abs(corrupted[i]))
        result = directional_grad_check(f, x, corrupted, k=4, seed=trial)
        flagged += result.max_rel_error > 1e-5
    assert flagged >= 999


def test_directional_check_passes_a_correct_gradient_at_2k_calls():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((5, 40))
    x = rng.standard_normal(40)
    calls = []

    def f(v):
        calls.append(1)
        return float(np.sum(np.tanh(w @ v)))

    result = directional_grad_check(f, x, w.T @ (1 - np.tanh(w @ x) ** 2), k=3, seed=1)
    assert isinstance(result, GradCheck)
    assert result.max_rel_error < 1e-7
    assert result.forward_calls == len(calls) == 6


def test_sparse_check_passes_correct_and_flags_wrong_gradient():
    f, grad = random_quadratic(3, 10)
    x = np.random.default_rng(4).standard_normal(10)
    assert sparse_grad_check(f, x, grad(x), num_checks=10, seed=0).max_rel_error < 1e-7
    wrong = -grad(x)
    result = sparse_grad_check(f, x, wrong, num_checks=5, seed=0)
    assert result.max_rel_error > 0.9 and result.forward_calls == 10


def test_inputs_are_never_mutated_even_by_a_forward_that_writes_into_its_argument():
    x = np.arange(6, dtype=np.float64)
    before = x.copy()

    def vandal(v):
        value = float(np.sum(v**2))
        v[:] = 0.0
        return value

    grad = eval_numerical_gradient(vandal, x)
    assert np.array_equal(x, before)
    assert rel_error(grad, 2 * before) < 1e-8
    eval_numerical_gradient_array(lambda v: v * 2, x, np.ones(6))
    directional_grad_check(vandal, x, 2 * before, seed=0)
    sparse_grad_check(vandal, x, 2 * before, seed=0)
    assert np.array_equal(x, before)


def test_checks_are_seeded():
    f, grad = random_quadratic(5, 8)
    x = np.random.default_rng(6).standard_normal(8)
    g = grad(x) + 0.01
    assert directional_grad_check(f, x, g, seed=7) == directional_grad_check(f, x, g, seed=7)
    assert sparse_grad_check(f, x, g, seed=7) == sparse_grad_check(f, x, g, seed=7)


@pytest.mark.parametrize(
    "call, names",
    [
        (lambda: rel_error(np.zeros(3), np.zeros(4)), ["a", "b", "shape"]),
        (lambda: rel_error(np.array([np.nan]), np.zeros(1)), ["a", "NaN"]),
        (lambda: eval_numerical_gradient(lambda v: 0.0, np.arange(3)), ["x", "integer"]),
        (lambda: eval_numerical_gradient(lambda v: 0.0, np.array([np.inf])), ["x", "NaN or infinity"]),
        (lambda: eval_numerical_gradient(lambda v: 0.0, [1.0, 2.0]), ["x", "list"]),
        (lambda: eval_numerical_gradient_array(lambda v: v, np.zeros(3), np.zeros(4)), ["shape"]),
        (lambda: eval_numerical_gradient_array(lambda v: v, np.zeros(3), np.arange(3)), ["df", "integer"]),
        (lambda: sparse_grad_check(lambda v: 0.0, np.zeros(3), np.zeros(2)), ["analytic_grad", "shape"]),
        (lambda: directional_grad_check(lambda v: 0.0, np.zeros(3), np.zeros((3, 1))), ["analytic_grad"]),
        (lambda: directional_grad_check(lambda v: 0.0, np.zeros(3), np.full(3, np.nan)), ["analytic_grad", "NaN"]),
        (lambda: directional_grad_check(lambda v: 0.0, np.zeros(3), np.zeros(3), k=0), ["k"]),
        (lambda: eval_numerical_gradient(lambda v: 0.0, np.zeros(3), h=-1.0), ["h"]),
        (lambda: eval_numerical_gradient(lambda v: v, np.zeros(3)), ["f", "scalar"]),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(call, names):
    with pytest.raises(ValueError) as info:
        call()
    for name in names:
        assert name in str(info.value)
