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


HOG_SECONDS = 300  # a hog stops by itself after this long, even if the test run is killed


@pytest.fixture
def cpu_hog():
    """Busy processes, three times as many as the machine has cores, for the length of a test: every
    CPU-bound process of the test then gets at most about half a core. Each hog is a child of
    the test run and ends by itself after HOG_SECONDS."""
    import os
    import subprocess
    import sys

    code = ("import time\nend = time.monotonic() + %d\nwhile time.monotonic() < end:\n    pass\n"
            % HOG_SECONDS)
    # each hog in a session of its own: the student's child starts a new session (setsid), and
    # the kernel's autogroup scheduling shares CPU between sessions, so hogs sharing one
    # session would count as one and barely slow the child down
    hogs = [subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
            for _ in range(3 * (os.cpu_count() or 1))]
    import time
    time.sleep(0.5)  # let every hog start spinning before the test measures anything
    try:
        yield len(hogs)
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()
