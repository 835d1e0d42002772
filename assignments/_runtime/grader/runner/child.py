"""The server that runs next to student code, in the child process.

It reads call requests from one pipe and writes one response frame per call to another
(dedicated file descriptors, never stdout: what the student prints cannot look like a reply).
It imports only the standard library, numpy and ``grader.runner.protocol``.

Request (one frame): ``{"op": "call", "calls": [{"module": "layers", "function": "affine_forward",
"args": [...], "kwargs": {...}, "keep": [1]}, ...]}``, ``{"op": "drop", "ids": [...]}`` or
``{"op": "exit"}``. Response per call: ``{"ok": True, "value": v, "args": {"2": dict},
"kwargs": {"bn_param": dict}}`` (the dict arguments as they are after the call) or
``{"ok": False, "kind": kind, "message": text}``.

The submission folder is loaded as the package ``submission`` (so ``from .layers import *``
works); a module is imported on the first call to it. Values named by ``keep`` stay here behind
a ``Handle``. The child is untrusted once student code has run: the grader validates all it sends.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import importlib.util
import io
import os
import signal
import sys
import traceback
import types
from typing import Any, Callable

import grader.runner.compat as compat
from grader.runner.protocol import (EncodeError, Handle, PeerClosed, encode_frame, read_frame,
                                    write_chunks, write_frame)

PACKAGE = "submission"
#: The reserved module name of the grader's settings calls (not an identifier: no student module).
SETTINGS = "grader:settings"
MAX_MESSAGE = 600


class _Failure(Exception):
    """A call's failure, carried to the response as (kind, message)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class CappedStream(io.TextIOBase):
    """A text stream that forwards at most ``cap`` characters to ``target`` and drops the rest."""

    def __init__(self, target: io.TextIOBase, cap: int):
        self._target = target
        self._left = cap

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._left > 0:
            part = text[: self._left]
            self._left -= len(part)
            try:
                self._target.write(part)
                self._target.flush()
            except (OSError, ValueError):
                self._left = 0
        return len(text)

    def flush(self) -> None:
        pass


def load_package(submission_dir: str) -> None:
    """Register ``submission_dir`` as the package ``submission`` without running its __init__."""
    package = types.ModuleType(PACKAGE)
    package.__path__ = [submission_dir]
    package.__package__ = PACKAGE
    package.__file__ = None
    sys.modules[PACKAGE] = package


def _location(tb: types.TracebackType | None, root: str) -> str:
    """Return "layers.py, line 42" for the innermost traceback frame inside the submission."""
    where = ""
    for frame, lineno in traceback.walk_tb(tb):
        filename = os.path.realpath(frame.f_code.co_filename)
        if filename.startswith(root + os.sep):
            where = f"{os.path.relpath(filename, root)}, line {lineno}"
    return where


def _guarded(action: Callable[[], str], fallback: str) -> str:
    """``action()``, or ``fallback`` when it raises: a student's exception may be hostile (its
    ``__str__``, ``__repr__``, class name, ``__class__`` or attributes raise or recurse), and
    describing it must never break the call server."""
    try:
        return action()
    except BaseException:  # noqa: BLE001 - whatever the student's object raised
        return fallback


def _type_name(value: Any) -> str:
    """The class name of ``value`` as the interpreter knows it (no metaclass can intercept it)."""
    return _guarded(lambda: str(type.__dict__["__name__"].__get__(type(value))), "object")


def _short_repr(value: Any, limit: int = 200) -> str:
    text = _guarded(lambda: repr(value), f"<a {_type_name(value)} whose repr() failed>")
    return text[:limit] + "..." if len(text) > limit else text


def _describe(exc: BaseException, root: str) -> str:
    kind = type(exc)  # the real class: isinstance() would ask the exception's own __class__
    name = _type_name(exc)
    syntax = issubclass(kind, SyntaxError) and _guarded(lambda: exc.filename and "yes", "")

    def text_of() -> str:
        if syntax:
            return str(exc.msg or "").strip()  # the location is given once, below
        return str(exc).strip().replace("\n", " ")
    text = _guarded(text_of, "(its message could not be turned into text)")
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + "..."

    def where_of() -> str:
        where = _location(exc.__traceback__, root)
        if syntax:
            filename = os.path.realpath(exc.filename)
            if filename.startswith(root + os.sep):
                where = f"{os.path.relpath(filename, root)}, line {int(exc.lineno)}"
        return where
    where = _guarded(where_of, "")
    head = f"{name}: {text}" if text else name
    head = f"{head} ({where})" if where else head
    if issubclass(kind, PermissionError):
        head += f"; {SANDBOX_REFUSALS}"
    return head + _guarded(lambda: compat.python2_words(exc), "")


#: What a PermissionError from graded code most likely means, in the student's words.
SANDBOX_REFUSALS = ("graded code may not signal other processes, start processes, open network "
                    "connections, or read or write files outside its own submission folder, and "
                    "the grading sandbox refused such an act")


class Server:
    """State of one child: the submission root, imported modules, kept values."""

    def __init__(self, submission_dir: str, *, first_id: int = 1, numpy1_aliases: bool = True):
        self.root = os.path.realpath(submission_dir)
        self.modules: dict[str, Any] = {}
        self.import_failures: dict[str, _Failure] = {}
        self.kept: dict[int, Any] = {}
        self.next_id = first_id  # distinct per process, so a stale Handle is never mistaken
        self.numpy1_aliases = numpy1_aliases  # installed at the first import (see `settings`)
        load_package(self.root)
        self.finder = compat.install_finders(PACKAGE, self.root)

    def settings(self, request: dict) -> dict:
        """The reserved call SETTINGS.numpy1_aliases(on): the course's choice, sent by the grader
        before every round trip when it differs from the default (a restarted child gets it
        again). Too late once a module was imported: answered with the setting in force."""
        if request.get("function") == "numpy1_aliases":
            args = list(request.get("args") or [])
            if not self.modules and not self.import_failures and args and type(args[0]) is bool:
                self.numpy1_aliases = args[0]
            return {"ok": True, "value": self.numpy1_aliases}
        return {"ok": False, "kind": "missing", "message": "unknown grader setting"}

    # -- modules and functions -----------------------------------------------------------------

    def module(self, stem: str) -> Any:
        if stem in self.modules:
            return self.modules[stem]
        if stem in self.import_failures:
            raise self.import_failures[stem]
        if not stem.isidentifier():
            raise _Failure("missing", f"{stem!r} is not a module name")
        if not (os.path.isfile(os.path.join(self.root, stem + ".py"))
                or os.path.isfile(os.path.join(self.root, stem, "__init__.py"))):
            raise _Failure("missing", f"the submission has no module {stem}.py")
        if self.numpy1_aliases and not self.modules and not self.import_failures:
            import numpy
            compat.install_numpy1_aliases(numpy)
        try:
            mod = importlib.import_module(f"{PACKAGE}.{stem}")
        except BaseException as exc:  # noqa: BLE001 - any failure of student code at import
            failure = _Failure("import_error", f"importing {stem}.py failed: {_describe(exc, self.root)}")
            self.import_failures[stem] = failure
            raise failure from None
        self.modules[stem] = mod
        return mod

    def function(self, stem: str, name: str) -> Any:
        mod = self.module(stem)
        func = getattr(mod, name, None) if name.isidentifier() else None
        if not callable(func):
            raise _Failure("missing", f"{stem}.py defines no function {name}")
        return func

    # -- handles -------------------------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        kind = type(value)
        if kind is Handle:
            if value.id not in self.kept:
                raise _Failure("crashed", "a value kept from an earlier call is gone "
                                          "(the student process was restarted after a failure)")
            return self.kept[value.id]
        if kind is list:
            return [self.resolve(v) for v in value]
        if kind is tuple:
            return tuple(self.resolve(v) for v in value)
        if kind is dict:
            return {k: self.resolve(v) for k, v in value.items()}
        return value

    def keep(self, value: Any) -> Handle:
        handle = Handle(self.next_id)
        self.next_id += 1
        self.kept[handle.id] = value
        return handle

    # -- one call ------------------------------------------------------------------------------

    def call(self, request: dict) -> dict:
        stem, name = str(request.get("module")), str(request.get("function"))
        label = f"{stem}.{name}"
        if stem == SETTINGS:
            return self.settings(request)
        try:
            if request.get("import_only"):
                self.module(stem)
                return {"ok": True, "value": None}
            func = self.function(stem, name)
            sent_args = list(request.get("args") or [])
            sent_kwargs = dict(request.get("kwargs") or {})
            args = self.resolve(sent_args)
            kwargs = self.resolve(sent_kwargs)
            try:
                value = func(*args, **kwargs)
            except NotImplementedError as exc:
                raise _Failure("not_implemented", f"{label} is not implemented yet ({_describe(exc, self.root)})") from None
            except SystemExit as exc:
                where = _guarded(lambda: _location(exc.__traceback__, self.root), "")
                code = _guarded(lambda: _short_repr(exc.code), "(its code could not be read)")
                raise _Failure("exception", f"{label} tried to exit the process (SystemExit {code})"
                                            + (f" ({where})" if where else "")) from None
            except BaseException as exc:  # noqa: BLE001 - the student's failure, reported
                words = _describe(exc, self.root)
                if issubclass(type(exc), NameError) and self.finder.placeholders:
                    words += (f"; the submission imports {', '.join(sorted(set(self.finder.placeholders)))}, "
                              f"which {compat.PLACEHOLDER_WORDS}")
                raise _Failure("exception", f"{label} raised {words}") from None
            value = self._apply_keep(value, request.get("keep") or [], label)
            # only the caller's own dicts come back (bn_param), never what a Handle stood for
            # (a cache may be any dict, with int keys or objects in it)
            response = {"ok": True, "value": value,
                        "args": {str(i): a for i, a in enumerate(args)
                                 if type(a) is dict and type(sent_args[i]) is dict},
                        "kwargs": {k: v for k, v in kwargs.items()
                                   if type(v) is dict and type(sent_kwargs.get(k)) is dict}}
            return response
        except _Failure as failure:
            return {"ok": False, "kind": failure.kind, "message": failure.message}

    def _apply_keep(self, value: Any, keep: list, label: str) -> Any:
        if not keep:
            return value
        if list(keep) == [-1]:
            return self.keep(value)
        if type(value) not in (tuple, list):
            raise _Failure("bad_return", f"{label} returned a {type(value).__name__}, expected a tuple")
        items = list(value)
        for index in keep:
            if type(index) is not int or not 0 <= index < len(items):
                raise _Failure("bad_return", f"{label} returned {len(items)} values, expected at least {index + 1}")
            items[index] = self.keep(items[index])
        return tuple(items)

    # -- the loop ------------------------------------------------------------------------------

    def serve(self, fd_in: int, fd_out: int) -> None:
        while True:
            try:
                request = read_frame(fd_in)
            except PeerClosed:
                return
            op = request.get("op") if type(request) is dict else None
            if op == "exit":
                return
            if op == "drop":
                for ident in request.get("ids") or []:
                    self.kept.pop(ident, None)
                continue
            if op == "ping":
                write_frame(fd_out, {"ok": True, "value": os.getpid()})
                continue
            for call in request.get("calls") or []:
                write_chunks(fd_out, self.encode_response(call, self.call(call)))

    def encode_response(self, call: dict, response: dict) -> list:
        """The frame of ``response``; a 'bad_return' one when the value cannot be sent (its
        type, its size, or memory for the copy the frame needs)."""
        label = f"{call.get('module')}.{call.get('function')}"
        try:
            return encode_frame(response)
        except EncodeError as exc:
            why = f"returned {str(exc)[:200]}, which cannot be graded"
        except MemoryError:
            why = "returned a value too large to copy for sending (the child ran out of memory)"
        except BaseException as exc:  # noqa: BLE001 - e.g. a list another thread changed meanwhile
            why = f"returned a value whose conversion for sending failed ({_type_name(exc)})"
        return encode_frame({"ok": False, "kind": "bad_return", "message": f"{label} {why}"})


def capped_streams(cap: int) -> tuple[CappedStream, CappedStream]:
    """Text streams over fds 1 and 2 that forward at most ``cap`` characters each."""
    return (CappedStream(io.TextIOWrapper(io.FileIO(1, "w", closefd=False), errors="replace"), cap),
            CappedStream(io.TextIOWrapper(io.FileIO(2, "w", closefd=False), errors="replace"), cap))


def prepare_process(*, stdout_cap: int = 1 << 20, fsize: int | None = None,
                    streams: tuple[CappedStream, CappedStream] | None = None) -> None:
    """Settings every child applies before student code: capped stdio, no cwd on sys.path.

    ``streams`` may be built in advance (by the sandbox worker, before forking).
    """
    sys.dont_write_bytecode = True
    cwd = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", cwd)]
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over the file cap: EFBIG, not death
    if fsize is not None:
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    sys.stdout, sys.stderr = streams or capped_streams(stdout_cap)
    sys.stdin = io.StringIO("")


def die_with_parent() -> None:
    """Linux: the kernel kills this process when the one that started it dies, so a child whose
    grader was killed (by a student's os.kill(os.getppid(), 9), or a TA's Ctrl-C) cannot live on
    as an orphan spinning in a student's loop. Elsewhere (a student's Mac) a no-op. One helper
    for every process that must not outlive its parent: runner children, sandboxed children,
    batch pool workers."""
    if _LIBC is None:
        return
    if _LIBC.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() == 1:  # the parent died before the prctl took effect
        os._exit(SERVER_BROKEN)


PR_SET_PDEATHSIG = 1
# Opened at import (in the sandbox worker: before it forks), so a child only makes the call.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="serve calls into a student submission")
    parser.add_argument("--fd-in", type=int, required=True)
    parser.add_argument("--fd-out", type=int, required=True)
    parser.add_argument("--submission", required=True)
    parser.add_argument("--fsize", type=int, default=None)
    parser.add_argument("--stdout-cap", type=int, default=1 << 20)
    parser.add_argument("--first-id", type=int, default=1)
    parser.add_argument("--no-numpy1-aliases", action="store_true",
                        help="do not put back the numpy-1 names numpy 2 removed (np.int, ...)")
    parser.add_argument("--cpu-s", type=int, default=None,
                        help="CPU seconds before the kernel stops this process")
    args = parser.parse_args(argv)
    die_with_parent()
    if args.cpu_s is not None:
        import resource
        resource.setrlimit(resource.RLIMIT_CPU, (args.cpu_s, args.cpu_s + 1))
    prepare_process(stdout_cap=args.stdout_cap, fsize=args.fsize)
    return serve_until_broken(Server(args.submission, first_id=args.first_id,
                                     numpy1_aliases=not args.no_numpy1_aliases), args.fd_in, args.fd_out)


#: Exit status of a child whose server was broken by the student's code (e.g. patched builtins).
SERVER_BROKEN = 70


def serve_until_broken(server: Server, fd_in: int, fd_out: int) -> int:
    """Serve; if student code broke the server itself, say so on stderr (no grader traceback)."""
    try:
        server.serve(fd_in, fd_out)
        return 0
    except BaseException as exc:  # noqa: BLE001 - the process is beyond repair; explain and exit
        text = f"the student's code broke the call server ({type(exc).__name__}: {str(exc)[:200]})\n"
        try:
            os.write(2, text.encode("utf-8", "replace"))
        except OSError:
            pass
        return SERVER_BROKEN


if __name__ == "__main__":
    os._exit(main())  # skip atexit handlers a student may have registered
