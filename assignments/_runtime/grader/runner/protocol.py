"""The wire format between the grader and the process that runs student code.

One message is a frame:

    b"GRD1" | header length (uint32, big-endian) | header (UTF-8 JSON) | raw array bytes ...

The header is ``{"v": <tagged value>, "arrays": [{"dtype": "<f8", "shape": [2, 3]}, ...]}``.
The tagged value is plain JSON where ``None``/bool/int/float/str stand for themselves and
every container is tagged: ``{"t": "list"|"tuple", "v": [...]}``, ``{"t": "dict", "v": {...}}``
(str keys only), ``{"t": "nd", "i": k}`` (the k-th array of the frame), ``{"t": "np", "i": k}``
(a numpy scalar, sent as a 0-d array) and ``{"t": "handle", "id": n}``. The raw bytes of the
arrays follow the header in order, each exactly ``prod(shape) * itemsize`` bytes, C order.

The receiver trusts nothing: it checks the magic, caps the header size, the array count, each
array's dtype (bool, int8..64, uint8..64, float16/32/64 only; object, void, str and anything
else refused), shape, byte length and the total size, the nesting depth, and builds arrays with
``np.frombuffer(...).reshape(shape).copy()``. Nothing is ever unpickled. A string with no UTF-8
encoding (a lone surrogate, from a ``\\u`` escape) arrives with U+FFFD in its place.

Integers must fit in 64 bits (int64 or uint64): a larger one is refused on both sides, so no
student value can overflow a conversion in the grader. A reader may cap the header and the
array bytes of one frame (``max_header_bytes``, ``max_total_bytes``); a frame over them raises
``FrameTooLarge`` before its bytes are read, and arrays are read straight into their own
buffers, so the memory a frame costs the reader is its array bytes plus its decoded header.
A ``deadline`` is a ``time.monotonic()`` value or a callable returning the seconds left
(called between waits, so a caller can watch something else, e.g. a CPU budget, meanwhile);
a callable deadline with an ``on_header`` method is told when a frame's header has arrived.
``widen_pipe(fd)`` asks for a 1 MiB pipe buffer, so a big frame needs fewer wake-ups.

This module depends on the standard library and numpy only: it ships to students.
"""

from __future__ import annotations

import json
import math
import re
import os
import select
import struct
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Union

import numpy as np

MAGIC = b"GRD1"
_PREFIX = struct.Struct(">4sI")

#: Caps a receiver applies; a frame over them is refused before its bytes are read.
MAX_HEADER_BYTES = 8 * 1024 * 1024
MAX_ARRAYS = 4096
MAX_DEPTH = 32
DEFAULT_MAX_TOTAL_BYTES = 1 << 30  # 1 GiB of array data per frame
INT_MIN, INT_MAX = -(1 << 63), (1 << 64) - 1  # what int64 / uint64 can hold

#: a time.monotonic() value, or a callable returning the seconds left (<= 0: expired)
Deadline = Union[float, Callable[[], float], None]

_ALLOWED_DTYPES = tuple(
    np.dtype(name)
    for name in (
        "bool", "int8", "int16", "int32", "int64",
        "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64",
    )
)
#: dtype.str of every allowed dtype in native byte order ("|b1", "<f8", ...).
ALLOWED_DTYPE_STRS = frozenset(d.str for d in _ALLOWED_DTYPES)


class ProtocolError(Exception):
    """A frame broke the format or a cap (from the peer, which may be hostile)."""


class EncodeError(ProtocolError):
    """A value cannot cross the boundary (object array, unknown type, non-str dict key...)."""


class PeerClosed(ProtocolError):
    """The other end closed the pipe (the process died or exited)."""


class ReadTimeout(ProtocolError):
    """No complete frame arrived (or could be written) before the deadline."""


class FrameTooLarge(ProtocolError):
    """A frame announced more header or array bytes than the reader accepts (``size`` bytes
    against a cap of ``cap``); nothing past its header was read."""

    def __init__(self, message: str, *, size: int, cap: int):
        super().__init__(message)
        self.size = size
        self.cap = cap


def _too_big_int(value: int) -> bool:
    return not INT_MIN <= value <= INT_MAX


def _describe_int(value: int) -> str:
    digits = int(value.bit_length() * 0.30103) + 1  # str() of a huge int may itself refuse
    return f"an integer outside the 64-bit range (one of about {digits} digits)"


@dataclass(frozen=True)
class Handle:
    """A value kept in the student process (e.g. a layer's cache); pass it back to a later call."""

    id: int


@dataclass
class Call:
    """One call of ``module.function(*args, **kwargs)`` for ``Runner.call_many``.

    ``keep``: indices of a returned tuple to keep in the child as Handles, or ``(-1,)`` for the
    whole return value. Dicts in ``args``/``kwargs`` are updated in place with the student's changes.
    """

    module: str
    function: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    keep: tuple = ()


#: The kinds of StudentError (see docs/ARCHITECTURE.md).
ERROR_KINDS = ("not_implemented", "exception", "timeout", "crashed", "missing", "bad_return",
               "import_error")


#: Characters a student's text may not carry into a message: C0/C1 controls but tab and newline
#: (terminal escape sequences, NUL) and the bidi overrides/isolates that reorder what a page shows.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


class StudentError(Exception):
    """A call into student code failed; ``kind`` is one of ERROR_KINDS, ``message`` plain words,
    ``function`` the name of the student function whose call failed (set by the runner).
    Controls and bidi overrides in ``message`` (it quotes the student) are shown as ``\\uXXXX``."""

    def __init__(self, kind: str, message: str, function: str | None = None):
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown StudentError kind {kind!r}")
        message = _UNSAFE_CHARS.sub(_visible, _text(message))
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message
        self.function = function

    def __reduce__(self):
        return (StudentError, (self.kind, self.message, self.function))


# ---------------------------------------------------------------------------------------------
# values <-> tagged JSON + arrays


def _plain_array(value: np.ndarray) -> np.ndarray:
    """Return a C-contiguous base-class ndarray of an allowed native dtype, or raise EncodeError.

    Uses the unbound ``np.ndarray`` methods so a subclass cannot intercept the conversion.
    """
    arr = np.ndarray.view(value, np.ndarray)
    if arr.nbytes > DEFAULT_MAX_TOTAL_BYTES:  # before a copy: a zero-stride view costs nothing yet
        raise EncodeError(f"an array of {arr.nbytes} bytes (more than a frame may carry, "
                          f"{DEFAULT_MAX_TOTAL_BYTES})")
    dtype = arr.dtype
    if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
        raise EncodeError(f"an array of dtype {dtype} (only bool, int, uint and float arrays can be sent)")
    native = dtype.newbyteorder("=")
    if native.str not in ALLOWED_DTYPE_STRS:
        raise EncodeError(f"an array of dtype {dtype} (only bool, int, uint and float arrays can be sent)")
    return arr.astype(native, order="C", copy=False)


def _encode(value: Any, arrays: list[np.ndarray], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise EncodeError(f"a value nested deeper than {MAX_DEPTH} levels")
    # Exact type checks: a subclass of int/str/float with fake methods must not pass as one.
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        if _too_big_int(value):
            raise EncodeError(_describe_int(value))
        return value
    if kind is float:
        return value
    if isinstance(value, np.ndarray):
        arrays.append(_plain_array(value))
        return {"t": "nd", "i": len(arrays) - 1}
    if isinstance(value, np.generic):
        arrays.append(_plain_array(np.array(value)))
        return {"t": "np", "i": len(arrays) - 1}
    if kind is Handle:
        return {"t": "handle", "id": int(value.id)}
    if kind is list or kind is tuple:
        return {"t": kind.__name__, "v": [_encode(item, arrays, depth + 1) for item in value]}
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise EncodeError(f"a dict with a non-str key of type {type(key).__name__}")
            out[key] = _encode(item, arrays, depth + 1)
        return {"t": "dict", "v": out}
    raise EncodeError(f"a value of type {kind.__name__} (only numeric arrays, numbers, str, None, "
                      "lists, tuples and dicts of them can be sent)")


def encode_frame(value: Any) -> list[bytes | memoryview]:
    """Encode ``value`` into the byte chunks of one frame (for ``os.writev``)."""
    arrays: list[np.ndarray] = []
    tree = _encode(value, arrays, 0)
    meta = [{"dtype": a.dtype.str, "shape": list(a.shape)} for a in arrays]
    try:
        header = json.dumps({"v": tree, "arrays": meta}, separators=(",", ":")).encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:
        raise EncodeError(f"a value that is not valid JSON text ({exc})") from None
    if len(header) > MAX_HEADER_BYTES:
        raise EncodeError(f"a header of {len(header)} bytes (cap {MAX_HEADER_BYTES})")
    chunks: list[bytes | memoryview] = [_PREFIX.pack(MAGIC, len(header)), header]
    chunks.extend(memoryview(a).cast("B") for a in arrays if a.nbytes)
    return chunks


def _check_meta(meta: Any, max_total_bytes: int) -> tuple[list[tuple[np.dtype, tuple[int, ...], int]], int]:
    if type(meta) is not list or len(meta) > MAX_ARRAYS:
        raise ProtocolError("bad array table")
    specs = []
    total = 0
    for entry in meta:
        if type(entry) is not dict or type(entry.get("dtype")) is not str or type(entry.get("shape")) is not list:
            raise ProtocolError("bad array entry")
        if entry["dtype"] not in ALLOWED_DTYPE_STRS:
            raise ProtocolError(f"refused dtype {entry['dtype'][:20]!r}")
        dtype = np.dtype(entry["dtype"])
        shape = entry["shape"]
        if len(shape) > 32 or any(type(s) is not int or not 0 <= s < (1 << 40) for s in shape):
            raise ProtocolError("bad array shape")
        count = math.prod(shape)
        nbytes = count * dtype.itemsize
        total += nbytes
        specs.append((dtype, tuple(shape), nbytes))
    if total > max_total_bytes:
        raise FrameTooLarge(f"frame arrays of {total} bytes exceed the cap of {max_total_bytes}",
                            size=total, cap=max_total_bytes)
    return specs, total


def _text(value: str) -> str:
    """``value`` with what has no UTF-8 encoding (lone surrogates, which JSON's \\u escapes
    carry) replaced by U+FFFD: every string from a peer can be stored, printed and written."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _decode(tree: Any, arrays: list[np.ndarray], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deep")
    kind = type(tree)
    if kind is int:
        if _too_big_int(tree):
            raise ProtocolError("an integer outside the 64-bit range")
        return tree
    if kind is str:
        return _text(tree)
    if tree is None or kind in (bool, float):
        return tree
    if kind is not dict:
        raise ProtocolError(f"untagged {kind.__name__} in value")
    tag = tree.get("t")
    if tag in ("list", "tuple"):
        items = tree.get("v")
        if type(items) is not list:
            raise ProtocolError("bad sequence")
        seq = [_decode(item, arrays, depth + 1) for item in items]
        return seq if tag == "list" else tuple(seq)
    if tag == "dict":
        items = tree.get("v")
        if type(items) is not dict:
            raise ProtocolError("bad dict")
        return {_text(key): _decode(item, arrays, depth + 1) for key, item in items.items()}
    if tag in ("nd", "np"):
        index = tree.get("i")
        if type(index) is not int or not 0 <= index < len(arrays):
            raise ProtocolError("bad array reference")
        arr = arrays[index]
        if tag == "np":
            if arr.shape != ():
                raise ProtocolError("numpy scalar with a shape")
            return arr[()]
        return arr
    if tag == "handle":
        ident = tree.get("id")
        if type(ident) is not int or _too_big_int(ident):
            raise ProtocolError("bad handle")
        return Handle(ident)
    raise ProtocolError(f"unknown tag {str(tag)[:20]!r}")


# ---------------------------------------------------------------------------------------------
# reading and writing frames on file descriptors


def widen_pipe(fd: int, size: int = 1 << 20) -> None:
    """Grow a pipe's buffer to ``size`` bytes where the kernel allows (best effort)."""
    try:
        import fcntl
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), size)
    except (OSError, ImportError):
        pass


def _seconds_left(deadline: Deadline) -> float:
    if callable(deadline):
        return deadline()
    return deadline - time.monotonic()


def write_frame(fd: int, value: Any, *, deadline: Deadline = None) -> None:
    """Encode ``value`` and write the whole frame to ``fd``.

    With a ``deadline`` ``fd`` must be non-blocking: the write waits for room in the pipe
    until then and raises ReadTimeout (a peer that stopped reading must not hang the grader).
    Without one, it blocks.
    """
    write_chunks(fd, encode_frame(value), deadline=deadline)


def write_chunks(fd: int, chunks: list[bytes | memoryview], *, deadline: Deadline = None) -> None:
    """Write the chunks of an encoded frame (``encode_frame``) to ``fd``, as ``write_frame``."""
    pending = [memoryview(c).cast("B") if not isinstance(c, memoryview) else c for c in chunks]
    poller = None
    while pending:
        try:
            written = os.writev(fd, pending[:64])
        except BlockingIOError:
            if deadline is None:
                raise
            if poller is None:
                poller = select.poll()
                poller.register(fd, select.POLLOUT)
            remaining = _seconds_left(deadline)
            if remaining <= 0:
                raise ReadTimeout("the peer stopped reading before the deadline") from None
            poller.poll(int(remaining * 1000) + 1)
            continue
        while written and pending:
            head = pending[0]
            if written >= len(head):
                written -= len(head)
                pending.pop(0)
            else:
                pending[0] = head[written:]
                written = 0


def _read_into(fd: int, view: memoryview, deadline: Deadline) -> None:
    """Fill ``view`` (bytes) from ``fd``."""
    n = len(view)
    got = 0
    poller = None
    while got < n:
        if deadline is not None:
            if poller is None:
                poller = select.poll()
                poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
            remaining = _seconds_left(deadline)
            if remaining <= 0:
                raise ReadTimeout(f"no complete frame before the deadline ({got}/{n} bytes)")
            if not poller.poll(int(remaining * 1000) + 1):
                continue  # the deadline is asked again
        chunk = os.readv(fd, [view[got:]])
        if chunk == 0:
            raise PeerClosed("peer closed the pipe")
        got += chunk


def _read_exact(fd: int, n: int, deadline: Deadline) -> bytearray:
    buf = bytearray(n)
    _read_into(fd, memoryview(buf), deadline)
    return buf


def read_frame(fd: int, *, deadline: Deadline = None,
               max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
               max_header_bytes: int = MAX_HEADER_BYTES) -> Any:
    """Read and validate one frame from ``fd``; see ``read_frame_sized``."""
    return read_frame_sized(fd, deadline=deadline, max_total_bytes=max_total_bytes,
                            max_header_bytes=max_header_bytes)[0]


def read_frame_sized(fd: int, *, deadline: Deadline = None,
                     max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
                     max_header_bytes: int = MAX_HEADER_BYTES) -> tuple[Any, int]:
    """Read and validate one frame from ``fd``: (its value, the bytes it took: header + arrays).

    Raises PeerClosed, ReadTimeout, FrameTooLarge (over ``max_header_bytes`` or
    ``max_total_bytes``, before those bytes are read) or ProtocolError; never unpickles, never
    trusts a size.
    """
    magic, header_len = _PREFIX.unpack(bytes(_read_exact(fd, _PREFIX.size, deadline)))
    if magic != MAGIC:
        raise ProtocolError("bad magic (not a frame)")
    cap = min(max_header_bytes, MAX_HEADER_BYTES)
    if header_len > cap:
        raise FrameTooLarge(f"header of {header_len} bytes exceeds the cap of {cap}",
                            size=header_len, cap=cap)
    raw = _read_exact(fd, header_len, deadline)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"header is not JSON ({type(exc).__name__})") from None
    del raw
    if type(header) is not dict:
        raise ProtocolError("header is not an object")
    specs, total = _check_meta(header.get("arrays"), max_total_bytes)
    on_header = getattr(deadline, "on_header", None)
    if on_header is not None:  # e.g. a new wall-clock window for moving the array bytes
        on_header()
    arrays = []
    try:
        for dtype, shape, nbytes in specs:
            try:
                arr = np.empty(shape, dtype=dtype)  # read in place: no second copy of the bytes
            except (ValueError, MemoryError):  # e.g. shape (0, 2**62): empty, yet refused
                raise ProtocolError("bad array shape") from None
            if nbytes:
                _read_into(fd, memoryview(arr.reshape(-1).view(np.uint8)), deadline)
            arrays.append(arr)
            del arr
    except (ReadTimeout, PeerClosed, OSError) as exc:
        # a reply cut off mid-array: its bytes count as taken (the sender spent them), and the
        # part read is dropped now, not kept alive by the traceback's frames (the reader's
        # memoryview of it lives in the frame below)
        arrays.clear()
        arr = None  # noqa: F841
        exc.frame_bytes = _PREFIX.size + header_len + total
        raise exc.with_traceback(None)
    try:
        return _decode(header.get("v"), arrays, 0), _PREFIX.size + header_len + total
    except RecursionError:
        raise ProtocolError("value nested too deep") from None
