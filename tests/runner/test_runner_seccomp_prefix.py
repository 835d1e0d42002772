"""The hand-assembled seccomp prefix that lets a child signal only itself: its audit arch and
signal-call numbers come from libseccomp for the machine it runs on (x86_64 and aarch64)."""

from __future__ import annotations

import struct

import pytest

from grader.runner import seccomp_filter as sf

pyseccomp = pytest.importorskip("pyseccomp")

#: From the kernel's syscall tables (arch/x86/entry/syscalls/syscall_64.tbl and the generic
#: include/uapi/asm-generic/unistd.h that aarch64 uses): kill, tkill, tgkill, rt_sigqueueinfo,
#: rt_tgsigqueueinfo.
TABLES = {"X86_64": (0xC000003E, (62, 200, 234, 129, 297)),
          "AARCH64": (0xC00000B7, (129, 130, 131, 138, 240))}


def _instructions(program: bytes) -> list[tuple[int, int, int, int]]:
    return [struct.unpack("HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]


@pytest.mark.parametrize("arch_name", sorted(TABLES))
def test_libseccomp_names_the_signal_calls_as_the_kernel_tables_do(arch_name):
    audit, numbers = TABLES[arch_name]
    arch = getattr(pyseccomp.Arch, arch_name)
    assert int(arch) == audit
    assert tuple(pyseccomp.resolve_syscall(arch, name) for name in sf.SIGNAL_CALLS) == numbers


@pytest.mark.parametrize("arch_name", sorted(TABLES))
def test_the_prefix_checks_the_arch_and_each_signal_call_then_the_pid(arch_name):
    audit, numbers = TABLES[arch_name]
    program = _instructions(sf.signal_prefix(4242, audit, numbers))
    assert len(program) == 14
    assert program[1] == (sf._BPF_JEQ_K, 0, 12, audit)           # another arch: straight to the rest
    assert [k for (_, _, _, k) in program[3:8]] == list(numbers)  # each signal call -> the pid check
    assert all((3 + i) + 1 + jt == 9 for i, (_, jt, _, _) in enumerate(program[3:8]))  # 9: CHECK
    assert program[10] == (sf._BPF_JEQ_K, 0, 2, 4242)            # arg0 low word must be the pid
    assert program[13][3] == sf.SECCOMP_RET_ERRNO | 1             # EPERM otherwise


def test_the_prefix_of_this_machine_is_the_one_the_worker_loads():
    if not sf.available():
        pytest.skip("no seccomp prefix for this machine")
    assert sf.signal_prefix(7) == sf.signal_prefix(7, *sf.native_signal_calls())
    static = b"\x06\x00\x00\x00\x00\x00\xff\x7f"  # one instruction: return ALLOW
    prepared = sf.PreparedFilter(static)
    assert prepared.buffer.raw[:len(static) + 14 * 8] == sf.signal_prefix(0) + static
    offset = sf.PreparedFilter._PID_OFFSET  # where a child writes its pid: instruction 10's k
    assert _instructions(sf.signal_prefix(0))[10][3] == 0
    assert struct.unpack("I", sf.signal_prefix(99)[offset:offset + 4]) == (99,)
