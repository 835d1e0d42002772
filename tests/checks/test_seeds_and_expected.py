"""Inputs: public seeds for visible checks, HMAC seeds per student for hidden ones; expected
values computed, recorded and replayed."""

import numpy as np
import pytest

from grader.checks.context import (ExpectedValues, load_public_expected, public_seed,
                                   save_public_expected)
from grader.checks.secret import DEV_SECRET, hidden_seed, load_secret


def test_hidden_seeds_differ_between_students_and_checks_and_repeat():
    a1 = hidden_seed(DEV_SECRET, "alice", "backprop/x_hidden")
    assert a1 == hidden_seed(DEV_SECRET, "alice", "backprop/x_hidden")
    assert a1 != hidden_seed(DEV_SECRET, "bob", "backprop/x_hidden")
    assert a1 != hidden_seed(DEV_SECRET, "alice", "backprop/y_hidden")
    assert a1 != hidden_seed("another-course-secret", "alice", "backprop/x_hidden")


def test_id_boundaries_cannot_be_shifted_to_collide():
    assert hidden_seed(DEV_SECRET, "ab", "c/d") != hidden_seed(DEV_SECRET, "a", "bc/d")


def test_public_seed_depends_on_the_check_only():
    assert public_seed("backprop/a") == public_seed("backprop/a") != public_seed("backprop/b")


def test_secret_comes_from_a_file_then_the_environment_then_the_dev_default(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADER_SECRET", raising=False)
    with pytest.raises(ValueError, match="GRADER_SECRET"):
        load_secret()
    assert load_secret(allow_dev_default=True) == DEV_SECRET.encode()
    monkeypatch.setenv("GRADER_SECRET", "from-env")
    assert load_secret() == b"from-env"
    path = tmp_path / "secret.txt"
    path.write_text("from-file\n")
    assert load_secret(path) == b"from-file"


def test_expected_values_record_then_replay_without_calling_the_reference(tmp_path):
    recorder = ExpectedValues("record")
    out = recorder.get("c::out", lambda: (np.arange(3.0), np.eye(2)))
    loss = recorder.get("c::loss", lambda: np.float64(1.5))
    path = tmp_path / "public_expected.npz"
    save_public_expected(recorder.values, path)
    replay = ExpectedValues("replay", load_public_expected(path))

    def must_not_run():
        raise AssertionError("the reference was called in replay mode")

    again = replay.get("c::out", must_not_run)
    assert all(np.array_equal(a, b) for a, b in zip(again, out))
    assert float(replay.get("c::loss", must_not_run)) == float(loss)
    with pytest.raises(KeyError, match="rebuild the release"):
        replay.get("c::missing", must_not_run)


def test_saved_expected_values_are_byte_identical_and_plain_npz(tmp_path):
    values = {"b::x": np.arange(4.0), "a::y": (np.ones(2), np.zeros((2, 2)))}
    save_public_expected(values, tmp_path / "one.npz")
    save_public_expected(dict(reversed(list(values.items()))), tmp_path / "two.npz")
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    with np.load(tmp_path / "one.npz", allow_pickle=False) as data:
        assert sorted(data.files) == ["a::y#0", "a::y#1", "a::y#len", "b::x"]
