"""The seccomp filter of a sandboxed child: no network, no exec, no new processes, no signals out.

Default action: allow; the listed system calls fail with EPERM (ENOSYS for clone3, so libc falls
back to clone, whose flags can be inspected). Choices:
- ``clone`` is allowed only with CLONE_THREAD: threads stay inside the process (they die with it,
  share its rlimits, and numpy/OpenBLAS may use them), new processes (fork, vfork, clone without
  CLONE_THREAD) are refused;
- ``kill``/``tkill``/``tgkill``/``rt_(tg)sigqueueinfo`` only to the child's own pid (a student can
  still raise a signal at itself), never to its parent, its group id or -1;
- sockets, exec, ptrace and cross-process memory, namespaces, mounts, io_uring (it can bypass
  the filter), bpf, perf, keyrings, modules, chmod/chown and raising rlimits are refused;
- ``memfd_create``/``memfd_secret`` and SysV ``shmget``/``shmat`` are refused: memory they hold
  is not counted by RLIMIT_AS (POSIX shm lives in /dev/shm, which Landlock leaves unwritable);
- ``prctl(PR_SET_PDEATHSIG, ...)`` is refused: the child keeps the SIGKILL-on-worker-death it
  set before the filter, so it cannot outlive the worker (and the worker not the grader);
- ``fcntl(F_SETOWN | F_SETOWN_EX)`` is refused: a file with an owner and O_ASYNC makes the kernel
  send SIGIO (deadly by default, or any signal F_SETSIG names) to that owner, any same-uid pid,
  past the filter on ``kill``;
- scheduling calls on another process (``setpriority`` other than PRIO_PROCESS 0, ``ioprio_set``
  other than its own, ``sched_set{scheduler,param,attr,affinity}``, ``migrate_pages``,
  ``move_pages`` with a pid other than 0) are refused: the kernel lets the same uid lower another
  process's priority, and a worker made SCHED_IDLE or pinned to one CPU passes that on to every
  later student's child. A child may still lower its own.

The static part is compiled to BPF once in the worker (``compile_static()``, libseccomp); each
child installs it with one ``prctl``, behind a 14-instruction hand-assembled prefix naming its
own pid (``signal_prefix``): no libseccomp work per child.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

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
    # memory the address-space limit does not count (grader.runner.isolation.memory_cap)
    "memfd_create", "memfd_secret", "shmget", "shmat",
)
PR_SET_PDEATHSIG = 1
F_SETOWN, F_SETOWN_EX = 8, 15
PRIO_PROCESS, IOPRIO_WHO_PROCESS = 0, 1
#: calls whose first argument is a pid (0: the caller) and that change that process's scheduling
SCHEDULING_CALLS = ("sched_setscheduler", "sched_setparam", "sched_setattr", "sched_setaffinity",
                    "migrate_pages", "move_pages")
SIGNAL_CALLS = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")


#: Machines whose pid prefix is known to be right: 64-bit little-endian (arg0's low word at
#: offset 16 of seccomp_data), with the audit arch and the signal calls' numbers from libseccomp.
PREFIX_MACHINES = ("x86_64", "aarch64")


def available() -> bool:
    """True when pyseccomp/libseccomp are importable and the pid prefix supports this machine."""
    return pyseccomp is not None and platform.machine() in PREFIX_MACHINES


def static_filter():
    """The libseccomp filter without the pid-specific rules."""
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
    # the parent-death signal set before the filter stays: a child cannot outlive its worker
    flt.add_rule(deny, "prctl", pyseccomp.Arg(0, pyseccomp.EQ, PR_SET_PDEATHSIG))
    # a file owner receives SIGIO: only the kill() rules above say who may be signalled
    for command in (F_SETOWN, F_SETOWN_EX):
        flt.add_rule(deny, "fcntl", pyseccomp.Arg(1, pyseccomp.EQ, command))
    # scheduling: the child's own (pid 0), never another process's
    for name in SCHEDULING_CALLS:
        flt.add_rule(deny, name, pyseccomp.Arg(0, pyseccomp.NE, 0))
    for name, which in (("setpriority", PRIO_PROCESS), ("ioprio_set", IOPRIO_WHO_PROCESS)):
        flt.add_rule(deny, name, pyseccomp.Arg(0, pyseccomp.NE, which))
        flt.add_rule(deny, name, pyseccomp.Arg(1, pyseccomp.NE, 0))
    return flt


def compile_static() -> bytes:
    """The static filter as raw BPF (``struct sock_filter`` array), compiled once in the worker."""
    flt = static_filter()
    read_end, write_end = os.pipe()
    try:
        with os.fdopen(write_end, "wb", closefd=False) as handle:
            flt.export_bpf(handle)
        os.close(write_end)
        write_end = -1
        chunks = []
        while chunk := os.read(read_end, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)
    return b"".join(chunks)


# -- a hand-assembled filter naming the child's pid --------------------------------------------------
_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_JA, _BPF_RET_K = 0x20, 0x15, 0x05, 0x06
_AUDIT_ARCH_X86_64 = 0xC000003E
_SIGNAL_NRS_X86_64 = (62, 200, 234, 129, 297)  # kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000


def native_signal_calls() -> tuple[int, tuple[int, ...]]:
    """(audit arch, numbers of SIGNAL_CALLS) of this machine, from libseccomp; x86_64's without
    it (then no filter is loaded anyway)."""
    if pyseccomp is None:
        return _AUDIT_ARCH_X86_64, _SIGNAL_NRS_X86_64
    arch = pyseccomp.system_arch()
    return int(arch), tuple(int(pyseccomp.resolve_syscall(arch, name)) for name in SIGNAL_CALLS)


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)


def signal_prefix(pid: int, arch: int | None = None, numbers: tuple[int, ...] | None = None) -> bytes:
    """BPF placed before the static program: kill/tkill/tgkill/rt_(tg)sigqueueinfo fail with
    EPERM unless arg0 == ``pid``; every other case falls through to the static program.
    ``arch``/``numbers``: the audit arch and the five calls' numbers (default: this machine's)."""
    if arch is None or numbers is None:
        arch, numbers = native_signal_calls()
    if len(numbers) != 5 or min(numbers) < 0:
        raise OSError(f"seccomp: cannot name the signal calls on this machine ({numbers})")
    jeq = [_insn(_BPF_JEQ_K, 5 - i, 0, nr) for i, nr in enumerate(numbers)]
    prog = [_insn(_BPF_LD_W_ABS, 0, 0, 4),                    # 0: arch
            _insn(_BPF_JEQ_K, 0, 12, arch),                   # 1: other arch -> END
            _insn(_BPF_LD_W_ABS, 0, 0, 0),                    # 2: syscall number
            *jeq,                                             # 3-7: a signal call -> CHECK
            _insn(_BPF_JA, 0, 0, 5),                          # 8: -> END
            _insn(_BPF_LD_W_ABS, 0, 0, 16),                   # 9: CHECK: arg0, low word
            _insn(_BPF_JEQ_K, 0, 2, pid),                     # 10: not pid -> DENY
            _insn(_BPF_LD_W_ABS, 0, 0, 20),                   # 11: arg0, high word
            _insn(_BPF_JEQ_K, 1, 0, 0),                       # 12: zero -> END, else DENY
            _insn(_BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.EPERM)]  # 13: DENY
    return b"".join(prog)                                     # 14: END = the static program


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2


def install(program: bytes) -> None:
    """Load one raw BPF program on the calling thread (no_new_privs must be set)."""
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp: {os.strerror(err)}")


class PreparedFilter:
    """The whole program in a ctypes buffer, built in the worker; a child patches in its pid."""

    _PID_OFFSET = 10 * 8 + 4  # the k field of instruction 10 of signal_prefix

    def __init__(self, static_program: bytes):
        program = signal_prefix(0) + static_program
        self.buffer = ctypes.create_string_buffer(program, len(program))
        self.fprog = _SockFprog(len(program) // 8, ctypes.addressof(self.buffer))

    def load(self, pid: int) -> None:
        """Confine the calling process (no_new_privs must be set)."""
        self.buffer[self._PID_OFFSET:self._PID_OFFSET + 4] = struct.pack("I", pid)
        if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self.fprog), 0, 0) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"seccomp: {os.strerror(err)}")


def load_for(static_program: bytes, pid: int) -> None:
    """Confine the calling process: one program, the pid-specific prefix then the static filter."""
    PreparedFilter(static_program).load(pid)
