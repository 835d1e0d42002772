"""The context a check receives: the student's runner, its random generator, expected values.

    ctx.student     a Runner bound to the submission (see docs/ARCHITECTURE.md)
    ctx.rng         np.random.Generator: a fixed public seed for visible checks, a per-student
                    seed (made by the grader, never here) for hidden ones
    ctx.expected(key, thunk)
                    grader: thunk(); student release: the value recorded at release time in
                    public_expected.npz (the reference does not ship)
    ctx.reference   the reference modules by stem (grader only; the student release has none)

Student-safe: standard library and numpy only. The per-student seed and the reference modules
are passed in by `grader.checks.grade`; nothing here knows a secret.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

PUBLIC_EXPECTED_FILE = "public_expected.npz"
_TUPLE_LENGTH = "#len"


def public_seed(check_id: str) -> int:
    """The seed of a visible check: derived from the check id only, the same for everyone."""
    digest = hashlib.sha256(b"grader-public-seed\0" + check_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


class ExpectedValues:
    """Where `ctx.expected` gets its values. Four modes:

    - "compute" (grader): every call returns thunk();
    - "record" (release time): returns thunk() and keeps a copy under the key;
    - "replay" (student release): returns the recorded value; the thunk is never called;
    - "memo" (grader, several submissions graded on the same inputs, e.g. a test corpus):
      thunk() the first time a key is asked for, a copy of that value after. Sound because a
      thunk depends only on the check's inputs, never on what the student returned (the
      contract "replay" already relies on); `Context.expected` puts the state of the check's
      generator into the key, so another student id's inputs, or inputs drawn differently
      for another submission, get their own value.
    Keys are "<check id>::<key>". Values are arrays, numbers or tuples of arrays.
    """

    def __init__(self, mode: str = "compute", values: Mapping[str, Any] | None = None):
        if mode not in ("compute", "record", "replay", "memo"):
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.values: dict[str, Any] = dict(values or {})

    def get(self, key: str, thunk: Callable[[], Any]) -> Any:
        if self.mode == "replay":
            if key not in self.values:
                raise KeyError(f"{PUBLIC_EXPECTED_FILE} has no value for {key!r}: the release is "
                               "stale or the checks changed; rebuild the release")
            return _copy(self.values[key])
        if self.mode == "memo":
            if key not in self.values:
                self.values[key] = _copy(thunk())
            return _copy(self.values[key])
        value = thunk()
        if self.mode == "record":
            if key in self.values:
                raise KeyError(f"expected value {key!r} recorded twice (duplicate key in a check)")
            self.values[key] = _copy(value)
        return value


def _copy(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return np.array(value, copy=True) if isinstance(value, np.ndarray) else value


def flatten_expected(values: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """{key: array}: tuples become key#0, key#1, ... plus key#len (so they can be rebuilt)."""
    flat = {}
    for key, value in values.items():
        if isinstance(value, tuple):
            flat[key + _TUPLE_LENGTH] = np.asarray(len(value))
            for i, item in enumerate(value):
                flat[f"{key}#{i}"] = np.asarray(item)
        else:
            flat[key] = np.asarray(value)
    return flat


def save_public_expected(values: Mapping[str, Any], path: str | Path) -> None:
    """Write expected values (nested or flattened) as an .npz that `np.load(path,
    allow_pickle=False)` reads: one `<key>.npy` member per array. The bytes depend only on the
    values (sorted members, fixed timestamps), so two releases of the same sources are identical."""
    flat = flatten_expected(values)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(flat):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.array(flat[key], order="C"), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def load_public_expected(path: str | Path) -> dict[str, Any]:
    """Read an .npz of expected values (allow_pickle=False), rebuilding tuples."""
    with np.load(path, allow_pickle=False) as data:
        flat = {key: data[key] for key in data.files}
    values: dict[str, Any] = {}
    for key, array in flat.items():
        if key.endswith(_TUPLE_LENGTH):
            base = key[: -len(_TUPLE_LENGTH)]
            values[base] = tuple(flat[f"{base}#{i}"] for i in range(int(array)))
        elif "#" not in key or key.rsplit("#", 1)[0] + _TUPLE_LENGTH not in flat:
            values[key] = array[()] if array.shape == () else array
    return values


class _NoReference(Mapping):
    """Stands in for ctx.reference where the reference does not exist (the student release)."""

    def __getitem__(self, stem):
        raise RuntimeError("the reference modules are not available here: a visible check may "
                           "use them only inside a ctx.expected thunk")

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


@dataclass
class Context:
    """What a check sees; see the module docstring.

    check_id: the running check's id (keys of ctx.expected are scoped by it).
    student: the Runner.
    rng: np.random.Generator for this check's inputs.
    expected_values: the ExpectedValues source.
    reference: {module stem: module} (grader) or an empty stand-in (student release).
    hidden: True when the inputs are per student.
    """

    check_id: str
    student: Any
    rng: np.random.Generator
    expected_values: ExpectedValues = field(default_factory=ExpectedValues)
    reference: Mapping[str, Any] = field(default_factory=_NoReference)
    hidden: bool = False

    def expected(self, key: str, thunk: Callable[[], Any]) -> Any:
        """The reference's value for `key` (computed now, or recorded at release time)."""
        full = f"{self.check_id}::{key}"
        if self.expected_values.mode == "memo":
            full += "@" + _generator_state(self.rng)
        return self.expected_values.get(full, thunk)


def _generator_state(rng: np.random.Generator) -> str:
    """A digest of how far `rng` has been drawn (its bit generator's state)."""
    return hashlib.sha256(repr(rng.bit_generator.state).encode()).hexdigest()[:16]


def public_context(check_id: str, student: Any, expected_values: ExpectedValues,
                   reference: Mapping[str, Any] | None = None) -> Context:
    """The context of a visible check: public seed, given expected values."""
    return Context(check_id=check_id, student=student,
                   rng=np.random.default_rng(public_seed(check_id)),
                   expected_values=expected_values,
                   reference=reference if reference is not None else _NoReference())
