"""The wire format: values round-trip exactly; hostile frames are refused, never unpickled."""

import os
import select
import pickle
import struct
import json

import numpy as np
import pytest

from grader.runner.protocol import (
    INT_MAX, INT_MIN, MAGIC, EncodeError, FrameTooLarge, Handle, PeerClosed, ProtocolError,
    ReadTimeout, encode_frame, read_frame, read_frame_sized, write_frame,
)


def _through_pipe(value, **kwargs):
    r, w = os.pipe()
    try:
        write_frame(w, value)
        return read_frame(r, **kwargs)
    finally:
        os.close(r)
        os.close(w)


def _raw_through_pipe(data: bytes, **kwargs):
    r, w = os.pipe()
    try:
        os.write(w, data)
        os.close(w)
        w = None
        return read_frame(r, **kwargs)
    finally:
        os.close(r)
        if w is not None:
            os.close(w)


def _frame(header: dict, payload: bytes = b"") -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack(">4sI", MAGIC, len(raw)) + raw + payload


@pytest.mark.parametrize("dtype", ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
                                   "uint32", "uint64", "float16", "float32", "float64"])
def test_every_allowed_dtype_round_trips_bit_for_bit(dtype):
    rng = np.random.default_rng(0)
    arr = (rng.standard_normal((3, 4, 2)) * 50).astype(dtype)
    back = _through_pipe(arr)
    assert type(back) is np.ndarray and back.dtype == arr.dtype and back.shape == arr.shape
    assert back.tobytes() == arr.tobytes()


def test_nested_values_keep_their_container_types():
    value = {"a": (1, 2.5, "s", None, True), "b": [np.float32(3), np.arange(0)],
             "h": Handle(7), "e": np.zeros((0, 3)), "nan": float("nan")}
    back = _through_pipe(value)
    assert type(back["a"]) is tuple and back["a"][:2] == (1, 2.5) and back["a"][4] is True
    assert type(back["b"]) is list and type(back["b"][0]) is np.float32
    assert back["h"] == Handle(7) and back["e"].shape == (0, 3) and np.isnan(back["nan"])


def test_non_contiguous_big_endian_and_subclass_arrays_arrive_as_plain_native_arrays():
    class Sneaky(np.ndarray):
        def __eq__(self, other):
            return True

    base = np.arange(12, dtype=">f8").reshape(3, 4)
    for arr in (base.T, base[:, ::2], np.arange(6.0).view(Sneaky)):
        back = _through_pipe(arr)
        assert type(back) is np.ndarray and back.dtype.isnative
        np.testing.assert_array_equal(back, np.asarray(arr))


@pytest.mark.parametrize("value", [np.array([object()]), np.array(["a"]), np.zeros(2, dtype="V8"),
                                   np.zeros(2, dtype=complex), {1: 2}, object(), b"bytes", {1.5}])
def test_values_that_cannot_cross_are_refused_by_the_sender(value):
    with pytest.raises(EncodeError):
        encode_frame(value)


def test_a_pickle_is_refused_as_not_a_frame():
    with pytest.raises(ProtocolError, match="magic"):
        _raw_through_pipe(pickle.dumps(np.arange(3)))


@pytest.mark.parametrize("dtype", ["|O", "<U3", "|V8", "<c16", "|S2", ">f8"])
def test_a_frame_declaring_a_refused_dtype_is_refused(dtype):
    with pytest.raises(ProtocolError, match="dtype"):
        _raw_through_pipe(_frame({"v": {"t": "nd", "i": 0}, "arrays": [{"dtype": dtype, "shape": [1]}]},
                                 b"\0" * 16))


def test_a_frame_with_fewer_bytes_than_its_shape_claims_is_refused():
    with pytest.raises(PeerClosed):
        _raw_through_pipe(_frame({"v": {"t": "nd", "i": 0}, "arrays": [{"dtype": "<f8", "shape": [4]}]},
                                 b"\0" * 8))


def test_a_reply_cut_off_mid_array_counts_its_declared_bytes_and_frees_what_was_read():
    """A sender stopped mid-array (killed, or out of time) spent the bytes it declared, and the
    32 MiB array read so far is not kept alive by the exception's traceback."""
    import tracemalloc
    n = 4 << 20  # float64: 32 MiB declared, 8 MiB sent
    data = _frame({"v": {"t": "nd", "i": 0}, "arrays": [{"dtype": "<f8", "shape": [n]}]},
                  b"\0" * (n * 2))
    r, w = os.pipe()
    os.set_blocking(w, False)
    import threading
    def send():
        view, sent = memoryview(data), 0
        while sent < len(data):
            try:
                sent += os.write(w, view[sent:])
            except BlockingIOError:
                select.select([], [w], [], 1.0)
        os.close(w)
    tracemalloc.start()
    try:
        sender = threading.Thread(target=send)
        sender.start()
        with pytest.raises(PeerClosed) as info:
            read_frame_sized(r)
        sender.join()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        os.close(r)
    assert info.value.frame_bytes == len(data) - n * 2 + n * 8
    assert held < 4 << 20, f"{held >> 20} MiB still held after the cut-off reply"


def test_sizes_over_the_cap_are_refused_before_reading():
    header = {"v": {"t": "nd", "i": 0}, "arrays": [{"dtype": "<f8", "shape": [1 << 20, 1 << 20]}]}
    with pytest.raises(FrameTooLarge, match="exceed") as info:
        _raw_through_pipe(_frame(header), max_total_bytes=1 << 20)
    assert (info.value.size, info.value.cap) == (8 << 40, 1 << 20)


def test_a_header_over_the_readers_cap_is_refused_before_reading_it():
    with pytest.raises(FrameTooLarge, match="header") as info:
        _raw_through_pipe(_frame({"v": "x" * 5000, "arrays": []}), max_header_bytes=4096)
    assert info.value.cap == 4096 and info.value.size > 5000


def test_a_frame_reports_the_bytes_it_took_and_its_arrays_own_their_memory():
    r, w = os.pipe()
    try:
        write_frame(w, {"a": np.arange(6, dtype=np.int32).reshape(2, 3), "b": 1.5})
        value, size = read_frame_sized(r)
    finally:
        os.close(r)
        os.close(w)
    assert value["a"].flags.owndata and value["a"].flags.writeable and value["a"].flags.aligned
    assert value["a"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert 24 < size < 24 + 200  # the array bytes plus a small header


@pytest.mark.parametrize("number", [INT_MAX + 1, INT_MIN - 1, 10 ** 400, -(10 ** 400)])
def test_integers_outside_64_bits_are_refused_on_both_sides(number):
    with pytest.raises(EncodeError, match="64-bit"):
        encode_frame([1, {"deep": (number,)}])
    with pytest.raises(ProtocolError, match="64-bit"):
        _raw_through_pipe(_frame({"v": {"t": "list", "v": [1, number]}, "arrays": []}))
    with pytest.raises(ProtocolError):
        _raw_through_pipe(_frame({"v": {"t": "handle", "id": number}, "arrays": []}))


@pytest.mark.parametrize("shape", [[0, 1 << 62], [0, 1 << 63], [1 << 41], [-1]])
def test_shapes_numpy_itself_would_refuse_are_protocol_errors(shape):
    with pytest.raises(ProtocolError):
        _raw_through_pipe(_frame({"v": {"t": "nd", "i": 0},
                                  "arrays": [{"dtype": "<f8", "shape": shape}]}))


@pytest.mark.parametrize("tree", [{"t": "eval", "v": "x"}, {"t": "nd", "i": 3}, [1, 2],
                                  {"t": "handle", "id": "1"}])
def test_malformed_value_trees_are_refused(tree):
    with pytest.raises(ProtocolError):
        _raw_through_pipe(_frame({"v": tree, "arrays": []}))


def test_deeply_nested_values_are_refused():
    tree = 1
    for _ in range(100):
        tree = {"t": "list", "v": [tree]}
    with pytest.raises(ProtocolError):
        _raw_through_pipe(_frame({"v": tree, "arrays": []}))


def test_reading_a_silent_pipe_times_out_at_the_deadline():
    import time
    r, w = os.pipe()
    try:
        start = time.monotonic()
        with pytest.raises(ReadTimeout):
            read_frame(r, deadline=start + 0.2)
        assert 0.15 < time.monotonic() - start < 1.0
    finally:
        os.close(r)
        os.close(w)


# -- properties ----------------------------------------------------------------------------------
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

ALLOWED = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64"]
arrays = st.sampled_from(ALLOWED).flatmap(
    lambda dtype: hnp.arrays(np.dtype(dtype), hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)))
leaves = st.none() | st.booleans() | st.integers(INT_MIN, INT_MAX) | st.floats(allow_nan=False) | st.text(max_size=8) | arrays
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=12)


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return type(b) is np.ndarray and a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if type(a) in (list, tuple):
        return type(b) is type(a) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return type(b) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None)
@given(values)
def test_any_encodable_value_round_trips_exactly(value):
    assert _same(value, _through_pipe(value))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.binary(max_size=64))
def test_random_bytes_after_a_valid_prefix_only_ever_raise_protocol_errors(header, tail):
    data = struct.pack(">4sI", MAGIC, len(header)) + header + tail
    try:
        _raw_through_pipe(data)
    except ProtocolError:
        pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 2**40) | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.sampled_from(
        ["t", "v", "i", "nd", "np", "list", "tuple", "dict", "handle", "arrays", "dtype", "shape", "<f8", "|O"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["t", "v", "i", "id", "arrays", "dtype", "shape"]), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(json_values, json_values, st.binary(max_size=64))
def test_hostile_json_headers_only_ever_raise_protocol_errors(value_tree, array_table, payload):
    try:
        _raw_through_pipe(_frame({"v": value_tree, "arrays": array_table}, payload),
                          max_total_bytes=1 << 16)
    except ProtocolError:
        pass
