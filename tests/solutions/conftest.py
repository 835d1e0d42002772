"""Fixtures for the reference solutions: the reference modules, loaded as packages.

Loading goes through grader.assignment (package `_reference_<name>`), so `layer_utils`'s
`from .layers import *` resolves exactly as it will in the grader.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.assignment import load_assignment


def reference(assignment: str, stem: str):
    """The reference module solutions/<assignment>/<stem>.py."""
    return load_assignment(assignment).reference_module(stem)


@pytest.fixture(scope="session")
def layers():
    return reference("backprop", "layers")


@pytest.fixture(scope="session")
def layer_utils():
    return reference("backprop", "layer_utils")


@pytest.fixture(scope="session")
def rnn_layers():
    return reference("rnn", "rnn_layers")


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
