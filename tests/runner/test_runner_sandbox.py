"""The sandbox: each layer blocks what it should, on its own and together, and the worker recovers."""

import os
import signal
import time

import numpy as np
import pytest

from grader.runner import StudentError
from grader.runner.isolation import detect
from grader.runner.sandbox import sandbox_factory

FACTS = detect()
needs_landlock = pytest.mark.skipif(not FACTS["landlock"], reason="kernel without Landlock")
needs_seccomp = pytest.mark.skipif(not FACTS["seccomp"], reason="no seccomp on this machine")

PROBES = '''
import os, socket, subprocess, sys, threading

def read(path):
    return open(path).read()

def listdir(path):
    return sorted(os.listdir(path))

def write(path):
    with open(path, "w") as handle:
        handle.write("owned")
    return 1

def sock():
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    return 1

def unix_sock():
    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    return 1

def spawn():
    return subprocess.run(["/bin/true"]).returncode

def fork():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    return pid

def execv():
    os.execv(sys.executable, [sys.executable, "-c", "pass"])

def kill(pid, sig):
    os.kill(pid, sig)
    return 1

def parent():
    return os.getppid()

def kill_parent():
    os.kill(os.getppid(), 9)
    return 1

def thread_sum():
    out = []
    t = threading.Thread(target=lambda: out.append(sum(range(100))))
    t.start(); t.join()
    return out[0]

def allocate(gib):
    return len(bytearray(int(gib * (1 << 30))))

def sleep(s):
    import time
    time.sleep(s)
    return 1

def env(name):
    return os.environ.get(name)

def loaded():
    return sorted(m for m in sys.modules if m.startswith(("grader", "solutions", "_reference")))
'''


@pytest.fixture
def sandbox(make_submission, tmp_path):
    """sandbox(**options) -> (runner over the probe submission, its factory); closed afterwards."""
    made = []

    def make(**options):
        options.setdefault("call_timeout_s", 3)
        options.setdefault("total_timeout_s", 30)
        factory = sandbox_factory(**options)
        runner = factory(make_submission({"layers.py": PROBES}))
        made.append((factory, runner))
        return runner, factory
    yield make
    for factory, runner in made:
        runner.close()
        factory.close()


@pytest.fixture
def decoy(tmp_path):
    """A file and a folder outside the job dir, like an instructor's solutions."""
    folder = tmp_path / "solutions"
    folder.mkdir()
    secret = folder / "layers.py"
    secret.write_text("SECRET = 'reference'\n")
    return str(folder), str(secret)


LAYER_SETS = [
    pytest.param({}, id="all-layers"),
    pytest.param({"landlock": False, "userns": False}, id="seccomp-only", marks=needs_seccomp),
    pytest.param({"seccomp": False, "userns": False}, id="landlock-only", marks=needs_landlock),
]


@needs_landlock
def test_reading_or_listing_outside_the_job_dir_is_denied(sandbox, decoy):
    runner, _ = sandbox()
    folder, secret = decoy
    for function, arg in (("read", secret), ("listdir", folder), ("read", "/etc/passwd"), ("listdir", "/")):
        with pytest.raises(StudentError) as info:
            runner.call("layers", function, arg)
        assert info.value.kind == "exception" and "PermissionError" in info.value.message


@needs_landlock
def test_writing_outside_the_job_dir_is_denied_and_inside_allowed(sandbox, decoy):
    runner, _ = sandbox()
    folder, secret = decoy
    for path in (secret, os.path.join(folder, "new.py"), "/tmp/grader-sandbox-escape"):
        with pytest.raises(StudentError):
            runner.call("layers", "write", path)
    assert open(secret).read() == "SECRET = 'reference'\n"
    assert not os.path.exists(os.path.join(folder, "new.py"))
    assert runner.call("layers", "write", "scratch.txt") == 1


@pytest.mark.parametrize("options", LAYER_SETS)
@pytest.mark.parametrize("function", ["sock", "spawn", "fork", "execv", "kill_parent"])
def test_network_processes_and_signals_out_are_denied_by_each_layer(sandbox, options, function):
    runner, factory = sandbox(**options)
    seccomp = options.get("seccomp", True) and FACTS["seccomp"]
    if function == "sock" and not seccomp:
        pytest.skip("Landlock alone does not refuse socket creation (it refuses TCP bind/connect)")
    if function in ("spawn", "fork", "execv") and not seccomp:
        pytest.skip("Landlock alone does not refuse new processes")
    if function == "kill_parent" and not (seccomp or FACTS["landlock_abi"] >= 6):
        pytest.skip("neither seccomp nor Landlock signal scoping here")
    with pytest.raises(StudentError) as info:
        runner.call("layers", function)
    assert info.value.kind == "exception", info.value.message
    assert factory.worker().alive()


VICTIM = """
import signal, sys, time
signal.signal(signal.SIGWINCH, lambda *a: open(sys.argv[1], "w").write("hit"))
print("ready", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize("options", LAYER_SETS)
def test_signals_to_any_other_process_are_refused(sandbox, options, tmp_path):
    """SIGWINCH (ignored by default) so that a failure of the layer harms nobody."""
    import subprocess
    import sys

    if options.get("seccomp") is False and FACTS["landlock_abi"] < 6:
        pytest.skip("Landlock scopes signals from ABI 6 on")
    runner, factory = sandbox(**options)
    worker_pid = factory.worker().pid
    assert runner.call("layers", "parent") == worker_pid
    hit = tmp_path / "hit"
    victim = subprocess.Popen([sys.executable, "-c", VICTIM, str(hit)], stdout=subprocess.PIPE, text=True)
    try:
        assert victim.stdout.readline().strip() == "ready"
        for target in (worker_pid, os.getpid(), victim.pid, -worker_pid):
            with pytest.raises(StudentError) as info:
                runner.call("layers", "kill", target, int(signal.SIGWINCH))
            assert "PermissionError" in info.value.message
            assert "sandbox refused" in info.value.message  # plain words for the student
        try:  # kill(-1) reports success when every delivery is refused; judge by the victim
            runner.call("layers", "kill", -1, int(signal.SIGWINCH))
        except StudentError:
            pass
        time.sleep(0.2)
        assert not hit.exists(), "a signal escaped the sandbox"
        os.kill(victim.pid, signal.SIGWINCH)  # the control: the victim does notice a signal
        for _ in range(100):
            if hit.exists():
                break
            time.sleep(0.02)
        assert hit.exists()
    finally:
        victim.kill()
        victim.wait()
    assert factory.worker().alive() and factory.workers_started == 1


def test_threads_inside_the_child_are_allowed(sandbox):
    runner, _ = sandbox()
    assert runner.call("layers", "thread_sum") == 4950


def test_the_address_space_limit_turns_a_huge_allocation_into_an_exception(sandbox):
    runner, _ = sandbox(memory_bytes=1 << 30)
    with pytest.raises(StudentError) as info:
        runner.call("layers", "allocate", 2)
    assert info.value.kind == "exception" and "MemoryError" in info.value.message
    assert runner.call("layers", "allocate", 0.1) == int(0.1 * (1 << 30))


def test_a_killed_worker_costs_only_its_submission_and_a_fresh_one_serves_the_next(sandbox, make_submission):
    runner, factory = sandbox(call_timeout_s=5)
    first_worker = factory.worker().pid
    runner.call("layers", "parent")
    result = []
    start = time.monotonic()
    import threading
    thread = threading.Thread(target=lambda: result.append(runner.call_many(
        [__import__("grader.runner", fromlist=["Call"]).Call("layers", "sleep", (3,))])))
    thread.start()
    time.sleep(0.3)
    os.kill(first_worker, signal.SIGKILL)
    thread.join()
    assert time.monotonic() - start < 3, "the dead worker's child must die with it"
    assert isinstance(result[0][0], StudentError) and result[0][0].kind == "crashed"
    with factory(make_submission({"layers.py": "def f():\n    return 5\n"})) as nxt:
        assert nxt.call("layers", "f") == 5
    assert factory.workers_started == 2 and factory.worker().pid != first_worker


def test_a_sleeping_call_is_stopped_at_the_wall_backstop(sandbox):
    runner, _ = sandbox(call_timeout_s=0.5)
    backstop = runner.wall_factor * 0.5  # a sleeper uses no CPU: the wall backstop stops it
    start = time.monotonic()
    with pytest.raises(StudentError) as info:
        runner.call("layers", "sleep", 30)
    elapsed = time.monotonic() - start
    assert info.value.kind == "timeout" and "wall-clock" in info.value.message
    assert backstop <= elapsed < 30 / 2, elapsed  # at the backstop, far from the 30 s sleep
    assert runner.call("layers", "parent") > 0


def test_the_child_sees_a_clean_environment_with_one_blas_thread(sandbox, monkeypatch):
    monkeypatch.setenv("COURSE_SECRET", "hunter2")
    runner, _ = sandbox()
    assert runner.call("layers", "env", "OPENBLAS_NUM_THREADS") == "1"
    assert runner.call("layers", "env", "COURSE_SECRET") is None


def test_the_worker_never_loaded_checks_references_or_solutions(sandbox):
    runner, _ = sandbox()
    loaded = runner.call("layers", "loaded")
    assert loaded and all(name == "grader" or name.startswith("grader.runner") for name in loaded), loaded


def test_without_landlock_the_job_dir_holds_only_the_submission(sandbox):
    runner, _ = sandbox(landlock=False)
    assert runner.call("layers", "listdir", ".") == ["layers.py"]
    assert runner.layers["landlock"] == 0


def test_the_child_reports_the_layers_it_applied(sandbox):
    runner, _ = sandbox()
    runner.call("layers", "parent")
    assert runner.layers["rlimits"] and runner.layers["no_new_privs"]
    assert runner.layers["seccomp"] == FACTS["seccomp"]
    assert bool(runner.layers["landlock"]) == FACTS["landlock"]


def test_doctor_prints_every_layer_and_returns_zero(capsys):
    import argparse
    from grader.runner import cli

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["doctor"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    for name in ("rlimits", "no_new_privs", "seccomp", "Landlock", "namespace", "bubblewrap"):
        assert name in out
    if FACTS["landlock"]:
        assert "read a file outside the job dir: blocked" in out


def test_sandbox_overhead_reports_bare_and_sandboxed_times():
    from grader.runner.bench import sandbox_overhead

    figures = sandbox_overhead(n=5)
    assert 0 < figures["bare_fork_wait_ms"] < figures["sandboxed_child_ms"]
    assert figures["ratio"] == pytest.approx(figures["sandboxed_child_ms"] / figures["bare_fork_wait_ms"])


def test_a_factory_crosses_to_a_process_pool_and_starts_its_own_worker(make_submission):
    import pickle

    factory = sandbox_factory(call_timeout_s=3)
    folder = make_submission({"layers.py": "def f():\n    return 7\n"})
    try:
        with factory(folder) as runner:
            assert runner.call("layers", "f") == 7
        copy = pickle.loads(pickle.dumps(factory))
        try:
            with copy(folder) as runner:
                assert runner.call("layers", "f") == 7
            assert copy.worker().pid != factory.worker().pid
        finally:
            copy.close()
    finally:
        factory.close()


@needs_landlock
def test_the_child_reads_its_own_proc_entry_but_not_the_workers(sandbox):
    runner, factory = sandbox()
    assert "Name:" in runner.call("layers", "read", "/proc/self/status")
    with pytest.raises(StudentError) as info:
        runner.call("layers", "read", f"/proc/{factory.worker().pid}/status")
    assert "PermissionError" in info.value.message


def test_closed_children_are_reaped_and_leave_no_zombies(make_submission):
    factory = sandbox_factory(call_timeout_s=3)
    folder = make_submission({"layers.py": "def f():\n    return 1\n"})
    try:
        for _ in range(10):
            with factory(folder) as runner:
                assert runner.call("layers", "f") == 1
        worker = factory.worker()
        # A closed child is SIGKILLed and reaped by the worker after a later request. On a loaded
        # machine the kill can take a moment to land, so poll (the worker reaps after every
        # request) until the deadline; a child that is never reaped still fails the test.
        deadline = time.monotonic() + 10
        while True:
            worker.request({"op": "info"})
            children = open(f"/proc/{worker.pid}/task/{worker.pid}/children").read().split()
            if not children or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert children == []
    finally:
        factory.close()


def test_a_child_that_cannot_confine_itself_fails_loudly_as_our_error(make_submission):
    from grader.runner.sandbox import SandboxSetupError

    factory = sandbox_factory(nofile=-5)  # setrlimit refuses it: our misconfiguration
    try:
        with factory(make_submission({"layers.py": "def f():\n    return 1\n"})) as runner:
            with pytest.raises(SandboxSetupError, match="sandbox setup failed"):
                runner.call("layers", "f")
    finally:
        factory.close()
