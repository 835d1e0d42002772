"""The seccomp filter of a sandboxed child: no network, no exec, no new processes, no signals out.

Default action: allow; the listed system calls fail with EPERM (ENOSYS for clone3, so libc falls
back to clone, whose flags can be inspected). Choices:
- ``clone`` is allowed only with CLONE_THREAD: threads stay inside the process (they die with it,
  share its rlimits, and numpy/OpenBLAS may use them), new processes (fork, vfork, clone without
  CLONE_THREAD) are refused;
- ``kill``/``tkill``/``tgkill``/``rt_(tg)sigqueueinfo`` only to the child's own pid (a student can
  still raise a signal at itself), never to its parent, its group id or -1;
- sockets, exec, ptrace and cross-process memory, namespaces, mounts, io_uring (it can bypass
  the filter), bpf, perf, keyrings, modules, chmod/chown and raising rlimits are refused.

The static part is built once in the worker (``static_filter()``) so each child only adds the
rules naming its own pid and loads (about half a millisecond).
"""

from __future__ import annotations

import errno

try:  # pyseccomp wraps libseccomp through ctypes; absent on non-Linux
    import pyseccomp
except (ImportError, OSError):  # pragma: no cover - depends on the machine
    pyseccomp = None

CLONE_THREAD = 0x00010000

DENIED = (
    "execve", "execveat", "fork", "vfork",
    "socket", "socketpair",
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_open", "pidfd_send_signal",
    "pidfd_getfd", "kcmp",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree",
    "fsopen", "fsmount", "fspick", "mount_setattr",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "setrlimit", "mknod", "mknodat", "name_to_handle_at", "open_by_handle_at",
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups",
    "capset", "settimeofday", "clock_settime", "reboot", "swapon", "swapoff", "acct",
)
SIGNAL_CALLS = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")


def available() -> bool:
    """True when pyseccomp and libseccomp are importable here."""
    return pyseccomp is not None


def static_filter():
    """The filter without the pid-specific rules (build once in the worker, before forking)."""
    if pyseccomp is None:
        raise OSError("pyseccomp/libseccomp is not available")
    deny = pyseccomp.ERRNO(errno.EPERM)
    flt = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    for name in DENIED:
        try:
            flt.add_rule(deny, name)
        except (OSError, ValueError, RuntimeError):
            pass  # a syscall this libseccomp or architecture does not know
    flt.add_rule(deny, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, CLONE_THREAD, 0))
    flt.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    # prlimit64(pid, resource, new_limit, old_limit): reading is fine, setting is not.
    flt.add_rule(deny, "prlimit64", pyseccomp.Arg(2, pyseccomp.NE, 0))
    return flt


def load_for(flt, pid: int) -> None:
    """Add the rules that name ``pid`` (the calling process) and load the filter."""
    deny = pyseccomp.ERRNO(errno.EPERM)
    for name in SIGNAL_CALLS:
        flt.add_rule(deny, name, pyseccomp.Arg(0, pyseccomp.NE, pid))
    flt.load()
