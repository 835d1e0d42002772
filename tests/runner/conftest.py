"""Small submissions written on the fly for the runner tests."""

import textwrap

import pytest

AFFINE_SOURCE = '''
import numpy as np

def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)

def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    return dx, dw, dout.sum(axis=0)
'''


@pytest.fixture
def make_submission(tmp_path):
    """make_submission({"layers.py": source, ...}) -> folder holding those modules."""
    counter = iter(range(1000))

    def make(files: dict) -> str:
        folder = tmp_path / f"sub{next(counter)}"
        folder.mkdir()
        for name, source in files.items():
            (folder / name).write_text(textwrap.dedent(source))
        return str(folder)
    return make


@pytest.fixture
def AFFINE():  # noqa: N802 - reads as the constant it is
    """Source of a correct affine_forward / affine_backward."""
    return AFFINE_SOURCE
