"""Which isolation layers work on this machine (for ``python -m grader doctor`` and the sandbox).

``detect()`` probes each layer in a throw-away forked process (applying no_new_privs, seccomp or
Landlock to the grader itself would be permanent) and returns a dict of plain facts.
``probe_sandbox()`` goes further: it starts a real sandbox worker, runs a probe submission that
tries the forbidden acts, and reports which of them were blocked.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
import textwrap

from grader.runner import landlock, seccomp_filter


def _in_fork(action) -> tuple[bool, str]:
    """Run ``action()`` in a forked child; return (succeeded, error text)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            action()
            os.write(write_end, b"ok")
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            os.write(write_end, f"{type(exc).__name__}: {exc}".encode()[:500])
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    text = os.read(read_end, 1000).decode(errors="replace")
    os.close(read_end)
    return text == "ok", "" if text == "ok" else text


@functools.lru_cache(maxsize=1)
def userns_available() -> bool:
    """True when ``unshare -r -n -m`` (a user + network + mount namespace) works for this user."""
    binary = shutil.which("unshare")
    if not binary:
        return False
    try:
        return subprocess.run([binary, "-r", "-n", "-m", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def bubblewrap_available() -> bool:
    binary = shutil.which("bwrap")
    if not binary:
        return False
    try:
        return subprocess.run([binary, "--ro-bind", "/", "/", "--unshare-net", "true"],
                              capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def detect() -> dict:
    """Facts about each layer: {"rlimits": bool, "no_new_privs": bool, "seccomp": bool,
    "landlock_abi": int, "landlock": bool, "userns": bool, "bubblewrap": bool, "root": bool, ...}."""
    from grader.runner import limits

    facts = {"root": os.geteuid() == 0}
    facts["rlimits"], facts["rlimits_error"] = _in_fork(
        lambda: limits.set_rlimits(limits.Limits(), limits.count_user_processes()))
    facts["no_new_privs"], facts["no_new_privs_error"] = _in_fork(limits.set_no_new_privs)
    if seccomp_filter.available():
        facts["seccomp"], facts["seccomp_error"] = _in_fork(
            lambda: (limits.set_no_new_privs(), seccomp_filter.load_for(seccomp_filter.compile_static(), os.getpid())))
    else:
        facts["seccomp"], facts["seccomp_error"] = False, "pyseccomp/libseccomp not importable"
    abi = landlock.abi_version()
    facts["landlock_abi"] = abi
    if abi:
        facts["landlock"], facts["landlock_error"] = _in_fork(
            lambda: (limits.set_no_new_privs(), landlock.restrict(["/usr"], [tempfile.gettempdir()])))
    else:
        facts["landlock"], facts["landlock_error"] = False, "kernel without Landlock"
    facts["userns"] = userns_available()
    facts["bubblewrap"] = bubblewrap_available()
    facts["cgroup_memory"], facts["cgroup_memory_detail"] = cgroup_v2_memory()
    facts["memory_cap"], facts["memory_cap_detail"] = memory_cap(facts)
    return {key: value for key, value in facts.items() if value != ""}


def cgroup_v2_memory() -> tuple[bool, str]:
    """Whether this process's cgroup v2 has the memory controller delegated to it (a fact for
    doctor: the sandbox does not use cgroups; it caps a child's memory as ``memory_cap`` says)."""
    try:
        with open("/proc/self/cgroup") as handle:
            unified = [line.split("::", 1)[1].strip() for line in handle if line.startswith("0::")]
        with open("/proc/self/mountinfo") as handle:
            mounts = [line.split()[4] for line in handle if " - cgroup2 " in line]
    except OSError as exc:
        return False, str(exc)
    if not unified or not mounts:
        return False, "no cgroup v2 hierarchy"
    folder = os.path.join(mounts[0], unified[0].lstrip("/"))
    try:
        with open(os.path.join(folder, "cgroup.controllers")) as handle:
            controllers = handle.read().split()
    except OSError as exc:
        return False, f"cannot read {folder}/cgroup.controllers ({exc.strerror})"
    if "memory" not in controllers:
        return False, f"the memory controller is not delegated to {folder}"
    return os.access(folder, os.W_OK), folder


def memory_cap(facts: dict) -> tuple[bool, str]:
    """(whole cap holds, how) for a sandboxed child's memory: RLIMIT_AS counts anonymous memory
    and mappings; memory it does not count is refused (memfd and SysV shm by seccomp, files in
    /dev/shm by Landlock) or bounded (files on the scratch tmpfs by its size quota)."""
    from grader.runner.limits import Limits
    parts = [f"address space (RLIMIT_AS, memory_bytes: {Limits().memory_bytes >> 20} MiB by "
             "default, `grade --memory-mb`)"]
    holes = []
    if facts.get("seccomp"):
        parts.append("memfd_create and SysV shm refused by seccomp")
    else:
        holes.append("memfd_create and SysV shm are not refused (no seccomp)")
    if facts.get("landlock"):
        parts.append("/dev/shm unwritable under Landlock")
    else:
        holes.append("/dev/shm is writable (no Landlock)")
    if facts.get("userns"):
        parts.append("files the child writes live on the scratch tmpfs, capped by scratch_bytes")
    elif _on_tmpfs(tempfile.gettempdir()):
        holes.append(f"job dirs in {tempfile.gettempdir()} are on a tmpfs without a quota "
                     "(no user namespace for the scratch tmpfs)")
    return not holes, "; ".join(parts + [f"NOT CAPPED: {hole}" for hole in holes])


def _on_tmpfs(path: str) -> bool:
    """True when ``path`` is on a tmpfs (its files are memory)."""
    best, fstype = "", ""
    try:
        with open("/proc/self/mountinfo") as handle:
            for line in handle:
                fields = line.split()
                point, kind = fields[4], fields[fields.index("-") + 1]
                if os.path.realpath(path).startswith(point.rstrip("/") + "/") and len(point) > len(best):
                    best, fstype = point, kind
    except (OSError, ValueError, IndexError):
        return False
    return fstype == "tmpfs"


PROBE_SOURCE = '''
import ctypes, os, socket, subprocess

def _try(action):
    try:
        action()
        return "allowed"
    except BaseException as exc:
        return "blocked: " + type(exc).__name__

def _flood(count):
    os.mkdir("probe-flood")
    for n in range(count):
        open(os.path.join("probe-flood", str(n)), "w").close()

def _memfd():
    os.write(os.memfd_create("probe"), b"x" * (1 << 20))

def _clear_pdeathsig():
    if ctypes.CDLL(None, use_errno=True).prctl(1, 0, 0, 0, 0) != 0:
        raise PermissionError("prctl refused")

def probe(outside_file, outside_dir, checkout_file, other_job_file):
    return {
        "read a file outside the job dir": _try(lambda: open(outside_file).read()),
        "read the grader's own code (its checkout)": _try(lambda: open(checkout_file).read()),
        "read another student's job dir": _try(lambda: open(other_job_file).read()),
        "hold memory in a memfd (outside the address-space limit)": _try(_memfd),
        "write to /dev/shm": _try(lambda: open("/dev/shm/grader-probe", "w").write("x")),
        "clear the parent-death signal": _try(_clear_pdeathsig),
        "list a directory outside the job dir": _try(lambda: os.listdir(outside_dir)),
        "write outside the job dir": _try(lambda: open(os.path.join(outside_dir, "probe-written"), "w").write("x")),
        "write inside the job dir": _try(lambda: open("probe-inside", "w").write("x")),
        "open a socket": _try(lambda: socket.socket()),
        "start a process": _try(lambda: subprocess.run(["true"])),
        "fork": _try(lambda: os.wait() if os.fork() else os._exit(0)),
        "signal the parent": _try(lambda: os.kill(os.getppid(), 0)),
        "signal every process": _try(lambda: os.kill(-1, 0)),
        "allocate 4 GiB": _try(lambda: bytearray(4 << 30)),
        "create 20,000 files in the job dir": _try(lambda: _flood(20000)),
    }
'''


def probe_sandbox(**factory_options) -> dict:
    """Run the probe submission in a real sandbox; return {act: "allowed"|"blocked: Error"}."""
    import grader
    from grader.runner.jobdir import JobDir
    from grader.runner.sandbox import sandbox_factory

    with tempfile.TemporaryDirectory(prefix="grader-doctor-") as tmp:
        submission = os.path.join(tmp, "probe")
        outside = os.path.join(tmp, "outside")
        os.mkdir(submission)
        os.mkdir(outside)
        with open(os.path.join(submission, "layers.py"), "w") as handle:
            handle.write(textwrap.dedent(PROBE_SOURCE))
        secret = os.path.join(outside, "secret.txt")
        with open(secret, "w") as handle:
            handle.write("instructor-only")
        factory = sandbox_factory(call_timeout_s=10, total_timeout_s=30, **factory_options)
        classmate = JobDir(submission, base=factory_options.get("job_base"))
        acts = {}
        try:
            with factory(submission) as runner:
                acts = runner.call("layers", "probe", secret, outside, os.path.abspath(grader.__file__),
                                   os.path.join(classmate.work, "layers.py"))
                acts["layers reported by the child"] = json.dumps(runner.layers, sort_keys=True)
        finally:
            factory.close()
            classmate.remove()
            if acts.get("write to /dev/shm") == "allowed":  # the probe's own file goes
                os.unlink("/dev/shm/grader-probe")
        return acts
