"""Process-level limits a sandboxed child applies to itself before student code runs.

rlimits (address space, CPU seconds, file size, open files, processes, no core dumps),
``PR_SET_NO_NEW_PRIVS`` (death with the worker is grader.runner.child.die_with_parent) and, when the
grader runs as root, dropping every capability (uid 0 without capabilities cannot bypass file
permissions, raise limits or signal other users' processes).
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
from dataclasses import dataclass

PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39
SYS_CAPSET = {"x86_64": 126, "aarch64": 91}.get(platform.machine())  # None elsewhere: not dropped
_CAP_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed child (per submission)."""

    memory_bytes: int = 2 << 30     # RLIMIT_AS
    cpu_s: int = 120                # RLIMIT_CPU (soft; SIGKILL one second later)
    fsize_bytes: int = 64 << 20     # RLIMIT_FSIZE (stdout/stderr files included)
    nofile: int = 64                # RLIMIT_NOFILE
    nproc_margin: int = 64          # RLIMIT_NPROC = user's processes at worker start + margin


def count_user_processes(uid: int | None = None) -> int:
    """Processes (threads count for RLIMIT_NPROC) owned by ``uid`` now; read once per worker."""
    uid = os.getuid() if uid is None else uid
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            info = os.stat(f"/proc/{name}")
            if info.st_uid == uid:
                with open(f"/proc/{name}/status", "rb") as handle:
                    for line in handle:
                        if line.startswith(b"Threads:"):
                            total += int(line.split()[1])
                            break
        except (OSError, ValueError):
            continue
    return total


def _prctl(option: int, arg: int = 0) -> None:
    if _libc.prctl(option, arg, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl({option}): {os.strerror(err)}")


def set_rlimits(limits: Limits, nproc_base: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.fsize_bytes, limits.fsize_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.nofile, limits.nofile))
    nproc = nproc_base + limits.nproc_margin
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


def set_no_new_privs() -> None:
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


def no_new_privs_active() -> bool:
    return _libc.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1


# Built at import (in the worker), so a forked child only makes the call.
_CAP_HEADER = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
_CAP_DATA = (ctypes.c_uint32 * 6)()
_SYS_CAPSET = ctypes.c_long(SYS_CAPSET or -1)


def can_drop_capabilities() -> bool:
    return SYS_CAPSET is not None


def drop_capabilities() -> None:
    """Empty the effective, permitted and inheritable capability sets (a no-op for non-root)."""
    if _libc.syscall(_SYS_CAPSET, _CAP_HEADER, _CAP_DATA) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"capset: {os.strerror(err)}")
