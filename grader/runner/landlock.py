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


def restrict(read_paths: list[str], write_paths: list[str], *, abi: int | None = None) -> int:
    """Allow reading under ``read_paths`` and everything under ``write_paths``; deny the rest.

    Paths that do not exist are skipped. Applies to the calling thread (call it in a
    single-threaded child, after no_new_privs). Returns the ABI used.
    """
    abi = abi_version() if abi is None else abi
    if abi < 1:
        raise LandlockUnavailable("Landlock is not available on this kernel")
    handled = handled_fs(abi)
    attr = _RulesetAttr(handled, 0, 0)
    size = 8
    if abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
        size = 16
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
        size = 24
    ruleset = _check(_syscall(ctypes.c_long(SYS_CREATE_RULESET), ctypes.byref(attr),
                              ctypes.c_size_t(size), ctypes.c_uint32(0)), "create_ruleset")
    try:
        for paths, rights in ((read_paths, READ_ONLY), (write_paths, READ_WRITE)):
            for path in paths:
                _add_path(ruleset, path, rights & handled)
        _check(_syscall(ctypes.c_long(SYS_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)),
               "restrict_self")
    finally:
        os.close(ruleset)
    return abi


def _add_path(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= _FILE_RIGHTS
        rule = _PathBeneathAttr(rights, fd)
        _check(_syscall(ctypes.c_long(SYS_ADD_RULE), ctypes.c_int(ruleset),
                        ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0)),
               f"add_rule {path}")
    finally:
        os.close(fd)
