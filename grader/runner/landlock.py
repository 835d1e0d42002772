"""Landlock through raw syscalls (ctypes): restrict a process's file access to a few trees.

Linux x86_64 / aarch64 syscall numbers 444-446 (the same on both). ``abi_version()`` is 0 where
the kernel lacks Landlock (or it is disabled); ``restrict(read_paths, write_paths)`` then raises
``LandlockUnavailable`` and the caller falls back (see docs in ``grader.runner.sandbox``).

From ABI 4 the ruleset also denies TCP bind/connect; from ABI 6 it scopes signals and abstract
unix sockets to the process's own domain (it cannot signal the worker or the grader).
"""

from __future__ import annotations

import ctypes
import os
import platform
import stat

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
READ_ONLY = READ_FILE | READ_DIR
READ_WRITE = (READ_FILE | READ_DIR | WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_DIR | MAKE_REG
              | MAKE_SYM | REFER | TRUNCATE)


class LandlockUnavailable(OSError):
    """The kernel has no usable Landlock."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True)
_syscall = _libc.syscall
_syscall.restype = ctypes.c_long


def abi_version() -> int:
    """The kernel's Landlock ABI version, or 0 when unavailable."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "aarch64"):
        return 0
    version = _syscall(ctypes.c_long(SYS_CREATE_RULESET), None, ctypes.c_size_t(0),
                       ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(0, int(version))


def handled_fs(abi: int) -> int:
    """All filesystem rights the ABI knows (everything not granted by a rule is denied)."""
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"landlock {what}: {os.strerror(err)}")
    return result


class Rules:
    """Read-only paths opened (O_PATH) once, in the worker; ``restrict`` runs in each child.

    The descriptors are inherited by every forked child, which must keep them open until
    ``restrict`` and may close them after (``close``).
    """

    def __init__(self, read_paths: list[str], *, abi: int | None = None):
        self.abi = abi_version() if abi is None else abi
        if self.abi < 1:
            raise LandlockUnavailable("Landlock is not available on this kernel")
        self.handled = handled_fs(self.abi)
        self.read_fds = [entry for entry in (_open_path(p, READ_ONLY & self.handled) for p in read_paths)
                         if entry is not None]
        attr = _RulesetAttr(self.handled, 0, 0)
        size = 8
        if self.abi >= 4:
            attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
            size = 16
        if self.abi >= 6:
            attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
            size = 24
        self._attr, self._size = attr, size

    @property
    def fds(self) -> list[int]:
        return [fd for fd, _ in self.read_fds]

    def restrict(self, write_paths: list[str], read_paths: list[str] = ()) -> int:
        """Confine the calling thread: read the prepared paths and ``read_paths`` (opened now:
        e.g. ``/proc/self``, which must resolve in the child), read+write ``write_paths``."""
        ruleset = _check(_syscall(ctypes.c_long(SYS_CREATE_RULESET), ctypes.byref(self._attr),
                                  ctypes.c_size_t(self._size), ctypes.c_uint32(0)), "create_ruleset")
        opened = [entry for entry in [*(_open_path(p, READ_WRITE & self.handled) for p in write_paths),
                                      *(_open_path(p, READ_ONLY & self.handled) for p in read_paths)]
                  if entry is not None]
        try:
            for fd, rights in self.read_fds + opened:
                rule = _PathBeneathAttr(rights, fd)
                _check(_syscall(ctypes.c_long(SYS_ADD_RULE), ctypes.c_int(ruleset),
                                ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0)),
                       "add_rule")
            _check(_syscall(ctypes.c_long(SYS_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)),
                   "restrict_self")
        finally:
            os.close(ruleset)
            for fd, _ in opened:
                os.close(fd)
        return self.abi

    def close(self) -> None:
        for fd, _ in self.read_fds:
            try:
                os.close(fd)
            except OSError:
                pass


def restrict(read_paths: list[str], write_paths: list[str], *, abi: int | None = None) -> int:
    """Allow reading under ``read_paths`` and everything under ``write_paths``; deny the rest.

    Paths that do not exist are skipped. Applies to the calling thread (call it in a
    single-threaded child, after no_new_privs). Returns the ABI used.
    """
    rules = Rules([], abi=abi)
    try:
        return rules.restrict(write_paths, read_paths)
    finally:
        rules.close()


def _open_path(path: str, rights: int) -> tuple[int, int] | None:
    """(O_PATH fd, rights trimmed to what a file may get) or None when the path is missing."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return None
    if not stat.S_ISDIR(os.fstat(fd).st_mode):
        rights &= _FILE_RIGHTS
    return fd, rights
