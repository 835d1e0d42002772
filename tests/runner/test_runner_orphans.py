"""A plain-runner child never outlives the process that started it.

When a student's code kills the grading process (os.kill(os.getppid(), 9) kills whatever
started the child), nobody is left to stop the child: the kernel must (PR_SET_PDEATHSIG), or
an infinite loop spins on as an orphan for ever.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")

MIDDLE = textwrap.dedent("""
    import sys, threading
    from grader.runner.client import StudentProcess
    runner = StudentProcess(sys.argv[1], call_timeout_s=120, total_timeout_s=300)
    threading.Thread(target=lambda: runner.call("layers", "spin"), daemon=True).start()
    import time
    while runner._proc is None:
        time.sleep(0.01)
    print(runner._proc.pid, flush=True)
    time.sleep(300)
""")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_the_child_dies_with_a_killed_grader(tmp_path):
    submission, jobs = tmp_path / "submission", tmp_path / "jobs"
    submission.mkdir()
    jobs.mkdir()  # the killed grader cannot remove its job dir: keep it in tmp_path
    (submission / "layers.py").write_text("def spin():\n    while True:\n        pass\n")
    middle = subprocess.Popen([sys.executable, "-c", MIDDLE, str(submission)],
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "TMPDIR": str(jobs)})
    try:
        child = int(middle.stdout.readline())
        time.sleep(0.3)  # the child is spinning in the student's loop
        assert alive(child)
        os.kill(middle.pid, signal.SIGKILL)
        middle.wait()
        deadline = time.monotonic() + 5
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(child), "the student's child outlived its killed grader"
    finally:
        middle.kill()
        middle.wait()


def test_the_child_carries_a_cpu_limit_beyond_its_wall_clock_budget(tmp_path):
    from grader.runner.client import CPU_MARGIN_S, StudentProcess

    (tmp_path / "layers.py").write_text(
        "import resource\n\ndef cpu_limit():\n"
        "    return resource.getrlimit(resource.RLIMIT_CPU)[0]\n")
    with StudentProcess(tmp_path, total_timeout_s=30) as runner:
        assert runner.call("layers", "cpu_limit") == 30 + CPU_MARGIN_S
