"""The release's floating point is a function of the sources: another CPU (simulated by values a
few ulp away) neither makes the committed release stale nor gets it rewritten."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import platform
import shutil
import subprocess
import sys

import numpy as np
import pytest

from grader.checks.context import save_public_expected
from grader.release.canonical import (SIGNIFICANT_BITS, canonical_array, same_values,
                                      value_differences)
from grader.release.expected import PUBLIC_EXPECTED
from grader.release.pipeline import stale_files, write_release
from grader.release.runtime import RUNTIME

from release_support import ASSIGNMENTS, REPO


def _npz(values) -> bytes:
    buffer = io.BytesIO()
    save_public_expected(values, buffer)
    return buffer.getvalue()


def _load(data: bytes) -> dict:
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def _nudge(array: np.ndarray, rng: np.random.Generator, most_ulp: int = 4) -> np.ndarray:
    """`array` with each float element moved up or down by 0..most_ulp units in the last place,
    as another BLAS or SIMD kernel rounds."""
    out = np.array(array, dtype=np.float64, copy=True)
    steps = rng.integers(-most_ulp, most_ulp + 1, size=out.shape)
    for _ in range(most_ulp):
        up, down = steps > 0, steps < 0
        out[up] = np.nextafter(out[up], np.inf)
        out[down] = np.nextafter(out[down], -np.inf)
        steps = steps - np.sign(steps)
    return out


def test_canonical_rounding_is_within_its_documented_bits_and_idempotent():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.standard_normal(5000) * 10.0 ** rng.integers(-300, 300, 5000),
                        [0.0, -0.0, np.inf, -np.inf, 5e-324, 1.0, -1.0]])
    c = canonical_array(x)
    finite = np.isfinite(x) & (x != 0) & (np.abs(x) > 1e-300)
    relative = np.abs(c[finite] - x[finite]) / np.abs(x[finite])
    assert relative.max() <= 2.0 ** -SIGNIFICANT_BITS
    assert relative.max() > 0, "rounding changed nothing: the test proves nothing"
    assert np.array_equal(canonical_array(c), c)
    assert np.array_equal(c[-7:], [0.0, 0.0, np.inf, -np.inf, 5e-324, 1.0, -1.0])
    assert not np.signbit(c[x == 0]).any(), "-0.0 must become 0.0"
    assert np.isnan(canonical_array(np.array([np.nan, -np.nan]))).all()
    integers = np.arange(5)
    assert canonical_array(integers).dtype == integers.dtype
    assert np.array_equal(canonical_array(integers), integers)


def test_a_few_ulp_from_another_kernel_mostly_round_to_the_same_bits():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(20000)
    nudged = _nudge(x, rng, most_ulp=2)
    assert not np.array_equal(nudged, x)
    same = canonical_array(nudged) == canonical_array(x)
    assert same.mean() > 0.998, f"only {same.mean():.4f} of the elements round alike"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_public_expected_values_are_canonical(name):
    values = _load((REPO / "assignments" / name / PUBLIC_EXPECTED).read_bytes())
    floats = [key for key, v in values.items() if v.dtype.kind == "f"]
    assert floats
    for key in floats:
        assert np.array_equal(canonical_array(values[key]), values[key], equal_nan=True), key


def test_same_values_tells_rounding_from_a_real_change():
    rng = np.random.default_rng(2)
    base = {"a::x": rng.standard_normal((4, 5)), "a::n": np.arange(3),
            "a::tiny": np.array([1.0, 1e-17, -3e-17])}
    reference = _npz(base)
    other_cpu = {k: (_nudge(v, rng) if v.dtype.kind == "f" else v) for k, v in base.items()}
    other_cpu["a::tiny"] = np.array([1.0, 0.0, 2e-16])   # cancellation noise of another kernel
    assert same_values(reference, _npz(other_cpu))
    changes = {
        "value": {**base, "a::x": base["a::x"] * (1 + 1e-9)},
        "integer": {**base, "a::n": np.array([0, 1, 3])},
        "shape": {**base, "a::x": base["a::x"].reshape(5, 4)},
        "dtype": {**base, "a::x": base["a::x"].astype(np.float32)},
        "key": {**base, "a::y": base["a::x"]},
        "nan": {**base, "a::tiny": np.array([1.0, np.nan, 0.0])},
    }
    for what, values in changes.items():
        assert value_differences(reference, _npz(values)), what
    assert value_differences(reference, b"not a zip")


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_built_on_another_cpu_is_judged_current_and_not_rewritten(builds, name, tmp_path):
    """The committed folder with every stored float moved by up to 4 ulp (what another CPU's
    kernels write) is still current, and writing the release over it changes nothing."""
    folder = tmp_path / "assignments" / name
    for part in (name, RUNTIME):  # the committed folder and the student runtime beside it
        shutil.copytree(REPO / "assignments" / part, tmp_path / "assignments" / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    rng = np.random.default_rng(3)
    values = _load((folder / PUBLIC_EXPECTED).read_bytes())
    nudged = {k: (_nudge(v, rng) if v.dtype.kind == "f" else v) for k, v in values.items()}
    perturbed = _npz(nudged)
    assert perturbed != (folder / PUBLIC_EXPECTED).read_bytes()
    (folder / PUBLIC_EXPECTED).write_bytes(perturbed)
    assert stale_files(builds[name], folder) == []
    changed = write_release([builds[name]], assignments_dir=tmp_path / "assignments",
                            dist_dir=tmp_path / "dist")
    assert not [c for c in changed if "assignments" in c], changed
    assert (folder / PUBLIC_EXPECTED).read_bytes() == perturbed

    key = next(k for k, v in nudged.items() if v.dtype.kind == "f" and v.size)
    nudged[key] = nudged[key] + 1e-6 * (np.abs(nudged[key]).max() or 1.0)
    (folder / PUBLIC_EXPECTED).write_bytes(_npz(nudged))
    assert stale_files(builds[name], folder) == [f"{folder / PUBLIC_EXPECTED}: differs"]


# Another CPU, as far as this one can pretend: another OpenBLAS kernel (OPENBLAS_CORETYPE) and
# numpy's SIMD loops of the x86-64-v3 level switched off (NPY_DISABLE_CPU_FEATURES).
OTHER_KERNELS = ("Sandybridge", "Nehalem", "Prescott")
CORE_PROBE = """
import ctypes, glob, json, os, sys
import numpy
core = None
for path in glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, "numpy.libs", "*openblas*")):
    lib = ctypes.CDLL(path)
    for symbol in ("scipy_openblas_get_corename64_", "openblas_get_corename64_", "openblas_get_corename"):
        if hasattr(lib, symbol):
            getattr(lib, symbol).restype = ctypes.c_char_p
            core = getattr(lib, symbol)().decode()
print("CORE " + json.dumps(core))
"""
RECORD = CORE_PROBE + """
from grader.checks.context import save_public_expected
from grader.checks.expected import record_public_expected
from grader.release.canonical import canonical_values
raw = record_public_expected(sys.argv[1])
save_public_expected(raw, sys.argv[2] + ".raw.npz")
save_public_expected(canonical_values(raw), sys.argv[2] + ".npz")
"""


def _run(script: str, *args: str, env: dict) -> tuple[str | None, subprocess.CompletedProcess]:
    """Run `script` in a fresh interpreter; (the OpenBLAS kernel it used, the process)."""
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.split("CORE ", 1)[1].splitlines()[0]), done


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 kernels only")
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_rebuilding_with_another_blas_kernel_and_simd_level_is_current_and_rewrites_nothing(
        builds, name, tmp_path):
    """A release recorded with another OpenBLAS kernel and SIMD level has the committed values
    (compared by value, as the release compares public_expected.npz), is judged current, and
    writing it over the committed folder changes nothing. Its canonical bytes may differ: a
    value on a rounding boundary rounds either way (rnn has one), which rounding cannot remove;
    only the keys, dtypes, shapes and non-float arrays are asserted byte-identical."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "PYTHONPATH")}
    here, _ = _run(CORE_PROBE, env=env)
    if here is None:
        pytest.skip("numpy here is not linked to a dynamic-arch OpenBLAS")
    other = next(k for k in OTHER_KERNELS if k.lower() != here.lower())
    env.update(OPENBLAS_CORETYPE=other, NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4")
    used, _ = _run(RECORD, name, str(tmp_path / "other"), env=env)
    if used.lower() != other.lower():
        pytest.skip(f"this CPU cannot run OpenBLAS's {other} kernel (it chose {used})")
    committed = (REPO / "assignments" / name / PUBLIC_EXPECTED).read_bytes()
    raw = (tmp_path / "other.raw.npz").read_bytes()
    rebuilt = (tmp_path / "other.npz").read_bytes()
    assert same_values(committed, raw), "another kernel's unrounded values must be the same release"
    assert value_differences(committed, rebuilt) == []
    theirs, ours = _load(rebuilt), _load(committed)
    assert sorted(theirs) == sorted(ours)
    for key, value in ours.items():
        assert (theirs[key].dtype, theirs[key].shape) == (value.dtype, value.shape), key
        if value.dtype.kind != "f":
            assert theirs[key].tobytes() == value.tobytes(), key
    boundary = sum(int(np.sum(theirs[k] != v)) for k, v in ours.items() if v.dtype.kind == "f")
    print(f"{name}: OpenBLAS {here} here, {other} there; unrounded bytes differ: {raw != committed}; "
          f"canonical floats that rounded the other way: {boundary}")

    folder = tmp_path / "assignments" / name
    for part in (name, RUNTIME):  # the committed folder and the student runtime beside it
        shutil.copytree(REPO / "assignments" / part, tmp_path / "assignments" / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    other_build = dataclasses.replace(builds[name],
                                      files={**builds[name].files, PUBLIC_EXPECTED: rebuilt})
    assert stale_files(other_build, folder) == []
    changed = write_release([other_build], assignments_dir=tmp_path / "assignments",
                            dist_dir=tmp_path / "dist")
    assert not [c for c in changed if "assignments" in c], changed
    assert (folder / PUBLIC_EXPECTED).read_bytes() == committed
