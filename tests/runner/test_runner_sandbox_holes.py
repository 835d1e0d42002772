"""Holes of issue 11 closed: what a child can read, memory RLIMIT_AS does not count, children that
outlive the grader, output that grows over a submission's successive children."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from grader.checks.secret import SECRET_ENV
from grader.runner import StudentError
from grader.runner.isolation import detect, userns_available
from grader.runner.sandbox import sandbox_factory

FACTS = detect()
REPO = Path(__file__).resolve().parents[2]
needs_landlock = pytest.mark.skipif(not FACTS["landlock"], reason="kernel without Landlock")
needs_seccomp = pytest.mark.skipif(not FACTS["seccomp"], reason="no seccomp on this machine")

PROBES = '''
import ctypes, os, sys

_libc = ctypes.CDLL(None, use_errno=True)

def read(path):
    with open(path, "rb") as handle:
        return len(handle.read())

def listdir(path):
    return sorted(os.listdir(path))

def imports(name):
    __import__(name)
    return 1

def env(name):
    return os.environ.get(name)

def memfd(mib):
    fd = os.memfd_create("flood")
    os.write(fd, b"x" * (mib << 20))
    return 1

def shm_file(mib):
    with open("/dev/shm/grader-flood", "wb") as handle:
        handle.write(b"x" * (mib << 20))
    return 1

def sysv_shm(mib):
    _libc.shmget.restype = ctypes.c_int
    shmid = _libc.shmget(0, ctypes.c_size_t(mib << 20), 0o1600)
    if shmid < 0:
        raise OSError(ctypes.get_errno(), "shmget refused")
    _libc.shmctl(shmid, 0, None)  # IPC_RMID: the test leaves nothing behind if it got through
    return 1

def clear_pdeathsig():
    if _libc.prctl(1, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) refused")
    return 1

def pid():
    return os.getpid()

def raw_write_then_crash(mib):
    try:
        os.write(1, b"o" * (mib << 20))
    except OSError:
        pass
    os._exit(3)
'''


@pytest.fixture
def sandbox(make_submission):
    """sandbox(**options) -> (runner over the probe submission, its factory); closed afterwards."""
    made = []

    def make(files=None, **options):
        options.setdefault("call_timeout_s", 5)
        options.setdefault("total_timeout_s", 60)
        factory = sandbox_factory(**options)
        runner = factory(make_submission(files or {"layers.py": PROBES}))
        made.append((factory, runner))
        return runner, factory
    yield make
    for factory, runner in made:
        runner.close()
        factory.close()


def _refused(runner, function, *args) -> str:
    with pytest.raises(StudentError) as info:
        runner.call("layers", function, *args)
    assert info.value.kind == "exception", info.value
    return info.value.message


# -- what a child can read (11.7) -------------------------------------------------------------------

@needs_landlock
def test_a_child_reads_only_the_interpreter_stdlib_numpy_and_its_job_dir(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "course-secret-in-the-graders-environment")
    course = tmp_path / "course"
    (course / "grades").mkdir(parents=True)
    (course / "grades" / "gradebook.sqlite").write_bytes(os.urandom(512))
    (course / "secret.txt").write_text("course-secret\n")
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    runner, factory = sandbox(job_base=str(jobs))
    classmate = factory(runner.submission_dir)  # another student's job dir, alive at the same time
    try:
        classmate_file = os.path.join(classmate.job.work, "layers.py")
        assert os.path.exists(classmate_file)
        import numpy
        import pytest as pytest_module

        readable = [sys.executable, os.path.join(os.path.dirname(os.__file__), "json", "__init__.py"),
                    numpy.__file__, "layers.py"]
        for path in readable:
            assert runner.call("layers", "read", path) > 0, path
        assert runner.call("layers", "imports", "json") == 1
        unreadable = [str(REPO / "pyproject.toml"), str(REPO / "grader" / "checks" / "grade.py"),
                      str(REPO / "solutions" / "backprop" / "layers.py"),
                      str(course / "grades" / "gradebook.sqlite"), str(course / "secret.txt"),
                      classmate_file, pytest_module.__file__, os.path.join(sys.prefix, "pyvenv.cfg")]
        for path in unreadable:
            assert os.path.exists(path), path
            assert "PermissionError" in _refused(runner, "read", path), path
        for folder in (str(REPO), str(jobs), classmate.job.work, str(tmp_path), "/tmp"):
            assert "PermissionError" in _refused(runner, "listdir", folder), folder
        assert runner.call("layers", "env", SECRET_ENV) is None
    finally:
        classmate.close()


# -- memory the address-space limit does not count (11.4) -------------------------------------------

@needs_seccomp
def test_memfd_and_sysv_shared_memory_are_refused(sandbox):
    runner, _ = sandbox(memory_bytes=512 << 20)
    assert "PermissionError" in _refused(runner, "memfd", 600)
    assert "shmget refused" in _refused(runner, "sysv_shm", 600)


@needs_landlock
def test_posix_shared_memory_in_dev_shm_is_refused(sandbox):
    runner, _ = sandbox(memory_bytes=512 << 20)
    assert "PermissionError" in _refused(runner, "shm_file", 600)
    assert not os.path.exists("/dev/shm/grader-flood")


# -- output over successive children (11.6) ---------------------------------------------------------

def test_each_child_gets_fresh_output_files_within_the_submissions_budget(sandbox):
    runner, _ = sandbox(output_budget=1 << 20)
    sizes = []
    for _ in range(5):
        with pytest.raises(StudentError) as info:
            runner.call("layers", "raw_write_then_crash", 2)
        assert info.value.kind == "crashed"
        sizes.append(os.path.getsize(runner.job.stdout_path))
    # each child may fill half of what its predecessors left of the budget in each file, never
    # less than the floor, and its files start empty: the sizes are not cumulative
    assert sizes == [512 << 10, 256 << 10, 128 << 10, 64 << 10, 64 << 10]
    assert runner.job.output_used == sum(sizes[:-1])


# -- children never outlive the grader (11.5) -------------------------------------------------------

GRADER_SCRIPT = '''
import sys
from grader.runner import StudentError
from grader.runner.sandbox import sandbox_factory

factory = sandbox_factory(call_timeout_s=120, total_timeout_s=300, seccomp={seccomp}, userns={userns})
runner = factory(sys.argv[1])
print(runner.call("layers", "pid"), flush=True)
try:
    print("cleared", runner.call("layers", "clear_pdeathsig"), flush=True)
except StudentError as error:
    print("refused", error.kind, flush=True)
print("blocking", flush=True)
runner.call("layers", "block")
'''


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


USERNS = [False] + ([True] if userns_available() else [])


@pytest.mark.parametrize("userns", USERNS, ids=lambda u: "userns" if u else "no-userns")
@pytest.mark.parametrize("seccomp", [True, False], ids=["seccomp", "no-seccomp"])
def test_killing_the_grader_leaves_no_student_process_even_one_that_cleared_pdeathsig(
        make_submission, seccomp, userns):
    if seccomp and not FACTS["seccomp"]:
        pytest.skip("no seccomp on this machine")
    source = PROBES + "\ndef block():\n    import time\n    while True:\n        time.sleep(0.05)\n"
    submission = make_submission({"layers.py": source})
    script = GRADER_SCRIPT.format(seccomp=seccomp, userns=userns)
    grader = subprocess.Popen([sys.executable, "-c", script, submission], stdout=subprocess.PIPE,
                              text=True, cwd=str(REPO))
    try:
        child = int(grader.stdout.readline())
        cleared = grader.stdout.readline().split()
        assert grader.stdout.readline().strip() == "blocking"
        assert cleared[0] == ("refused" if seccomp else "cleared"), cleared
        time.sleep(0.3)  # the child is inside the blocking call
        assert _alive(child)
        grader.send_signal(signal.SIGKILL)
        grader.wait()
        deadline = time.monotonic() + 2.0
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), "a student process outlived the grader by 2 s"
    finally:
        grader.kill()
        grader.wait()
        if _alive(child):
            os.kill(child, signal.SIGKILL)


# -- doctor's live probe ----------------------------------------------------------------------------

@needs_landlock
@needs_seccomp
def test_doctors_probe_sees_each_new_hole_closed_and_open_without_its_layer():
    from grader.runner.isolation import probe_sandbox

    new_acts = ("read the grader's own code (its checkout)", "read another student's job dir",
                "hold memory in a memfd (outside the address-space limit)", "write to /dev/shm",
                "clear the parent-death signal")
    closed = probe_sandbox()
    assert all(closed[act].startswith("blocked") for act in new_acts), closed
    opened = probe_sandbox(landlock=False, seccomp=False, userns=False)
    assert all(opened[act] == "allowed" for act in new_acts), opened
    assert not os.path.exists("/dev/shm/grader-probe")


def test_doctor_says_how_a_childs_memory_is_capped():
    assert FACTS["memory_cap_detail"].startswith("address space (RLIMIT_AS")
    if FACTS["seccomp"] and FACTS["landlock"] and FACTS["userns"]:
        assert FACTS["memory_cap"] and "NOT CAPPED" not in FACTS["memory_cap_detail"]
    if not FACTS["seccomp"]:
        assert not FACTS["memory_cap"] and "memfd_create" in FACTS["memory_cap_detail"]


# -- acts on other processes that kill() does not cover ---------------------------------------------

OTHER_PROCESS_PROBES = '''
import fcntl, os

def sigio(pid):
    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, fcntl.F_SETOWN, pid)
    fcntl.fcntl(read_end, fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_ASYNC)
    os.write(write_end, b"x")

def sigio_ex(pid):
    import struct
    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, 15, struct.pack("ii", 1, pid))  # F_SETOWN_EX, F_OWNER_PID
    fcntl.fcntl(read_end, fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_ASYNC)
    os.write(write_end, b"x")

def nice(pid):
    os.setpriority(os.PRIO_PROCESS, pid, 19)

def nice_group():
    os.setpriority(os.PRIO_PGRP, 0, 19)

def idle(pid):
    os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))

def pin(pid):
    os.sched_setaffinity(pid, {min(os.sched_getaffinity(0))})

def own(value):
    os.setpriority(os.PRIO_PROCESS, 0, value)
    os.sched_setaffinity(0, os.sched_getaffinity(0))
    return os.getpriority(os.PRIO_PROCESS, 0)
'''


@needs_seccomp
@pytest.mark.parametrize("landlock", [False, True], ids=["seccomp alone", "with landlock"])
def test_a_child_cannot_signal_through_sigio_or_reschedule_another_process(sandbox, landlock):
    """F_SETOWN + O_ASYNC makes the kernel send SIGIO (deadly by default) to any same-uid pid,
    past the filter on kill(); setpriority/sched_* on another pid would pass a lower priority to
    every later child of the worker (the kernel allows it for the same uid, when the caller's
    capabilities cover the target's). Seccomp refuses both: a child changes only itself."""
    decoy = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        runner, _ = sandbox(files={"layers.py": OTHER_PROCESS_PROBES}, landlock=landlock)
        before = (os.getpriority(os.PRIO_PROCESS, decoy.pid), os.sched_getscheduler(decoy.pid),
                  os.sched_getaffinity(decoy.pid))
        for act in ("sigio", "sigio_ex", "nice", "idle", "pin"):
            assert "PermissionError" in _refused(runner, act, decoy.pid), act
        assert "PermissionError" in _refused(runner, "nice_group")
        time.sleep(0.2)
        assert decoy.poll() is None, "SIGIO reached a process outside the sandbox"
        assert (os.getpriority(os.PRIO_PROCESS, decoy.pid), os.sched_getscheduler(decoy.pid),
                os.sched_getaffinity(decoy.pid)) == before
        assert runner.call("layers", "own", 5) == 5  # its own priority is the child's to lower
    finally:
        decoy.kill()
        decoy.wait()
