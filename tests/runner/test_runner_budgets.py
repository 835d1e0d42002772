"""Student budgets are CPU time, so a loaded machine changes no verdict (issue 9).

A correct but slow CPU-bound function passes while CPU hogs run beside it, although its calls
take longer in wall-clock time than their whole CPU budget; a function that sleeps is stopped by
the wall-clock backstop, and only then; a call starved of CPU gets a second window. Every
assertion is about CPU time measured by the runner, or about ordering, never about how fast
the machine is at the moment.
"""

import time

import pytest

from grader.assignment import load_assignment
from grader.checks.grade import grade_submission
from grader.checks.secret import DEV_SECRET
from grader.runner import Call, StudentError, make_runner_factory
from grader.runner.cputime import ProcessClock, overloaded

SLOW = '''
import time
import numpy as np

def burn(seconds):
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass

def spin(seconds):
    burn(seconds)
    return seconds

def nap(seconds):
    time.sleep(seconds)
    return seconds

def affine_forward(x, w, b):
    burn(0.25)  # deliberately slow, and right
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)
'''


@pytest.mark.parametrize("kind", ["subprocess", "sandbox"])
def test_a_slow_cpu_bound_call_under_its_cpu_budget_passes_beside_a_cpu_hog(make_submission, cpu_hog, kind):
    factory = make_runner_factory(kind, call_timeout_s=1.0, total_timeout_s=20)
    runner = factory(make_submission({"layers.py": SLOW}))
    try:
        start = time.monotonic()
        assert runner.call("layers", "spin", 0.7) == 0.7
        wall = time.monotonic() - start
        # the point of the test: the hogs made the call outlast its whole CPU budget in wall time
        assert wall > 1.0, f"the CPU hog did not slow the call down ({wall:.2f} s)"
        assert 0.7 - 0.05 <= runner.used_cpu_s < 1.0  # the kernel counts in 10 ms ticks
    finally:
        runner.close()
        getattr(factory, "close", lambda: None)()


def test_a_correct_slow_layer_is_graded_passed_beside_a_cpu_hog(make_submission, cpu_hog):
    assignment = load_assignment("backprop")
    factory = make_runner_factory("sandbox", call_timeout_s=1.0, total_timeout_s=60)
    walls = []

    def timed(folder):
        runner = factory(folder)
        call_many = runner.call_many

        def timing(calls):
            start = time.monotonic()
            try:
                return call_many(calls)
            finally:
                walls.append(time.monotonic() - start)
        runner.call_many = timing
        return runner
    try:
        result = grade_submission(make_submission({"layers.py": SLOW}), assignment=assignment,
                                  student_id="slowpoke", secret=DEV_SECRET, runner_factory=timed,
                                  tasks=["backprop/affine_forward"], with_plots=False)
    finally:
        factory.close()
    assert result.status == "graded" and result.checks
    assert [c.status for c in result.checks] == ["passed"] * len(result.checks), \
        [(c.check_id, c.status, c.message) for c in result.checks]
    assert max(walls) > 1.0, "no call outlasted its CPU budget in wall time: the hog did nothing"


@pytest.mark.parametrize("kind", ["subprocess", "sandbox"])
def test_a_sleeping_call_is_stopped_by_the_wall_backstop_beside_a_cpu_hog(make_submission, cpu_hog, kind):
    factory = make_runner_factory(kind, call_timeout_s=0.3, total_timeout_s=20, wall_factor=5)
    runner = factory(make_submission({"layers.py": SLOW}))
    try:
        start = time.monotonic()
        with pytest.raises(Exception) as info:
            runner.call("layers", "nap", 120)
        elapsed = time.monotonic() - start
        assert getattr(info.value, "kind", None) == "timeout", info.value
        assert "1.5 s of wall-clock time" in info.value.message
        assert elapsed >= 1.5
        assert elapsed < 60  # not the nap's 120 s: a sleeper is not starved, it gets no second window
        assert runner.used_cpu_s < 0.3
    finally:
        runner.close()
        getattr(factory, "close", lambda: None)()


def test_a_call_starved_of_cpu_gets_a_second_wall_window_before_it_counts(make_submission, cpu_hog):
    """wall_factor 1: the backstop equals the CPU budget, so a CPU-bound call that gets at most
    half a core reaches it while it waits for a CPU: it is given one more window (and no third),
    whether or not it finishes in it."""
    factory = make_runner_factory("subprocess", call_timeout_s=1.0, total_timeout_s=20, wall_factor=1)
    runner = factory(make_submission({"layers.py": SLOW}))
    try:
        # start the child first: its start-up is outside the call's window, so the wall time
        # measured below is the call's own
        assert runner.call_many([Call("layers", "spin", (0.0,))])[0] == 0.0
        start = time.monotonic()
        result = runner.call_many([Call("layers", "spin", (0.9,))])[0]
        wall = time.monotonic() - start
    finally:
        runner.close()
    assert wall > 1.0, f"the CPU hog did not slow the call down ({wall:.2f} s)"
    assert runner._extra_wall_s == 1.0  # one second window, granted because it was starved
    if isinstance(result, StudentError):  # starved even in the second window: it says so
        assert result.kind == "timeout" and "2 s of wall-clock time" in result.message
        assert "overloaded" in result.message and wall >= 2.0
    else:
        assert result == 0.9


def test_the_process_clock_reads_cpu_time_from_outside_and_notices_a_reused_pid():
    import subprocess
    import sys
    child = subprocess.Popen([sys.executable, "-c",
                              "import time\nt = time.process_time()\n"
                              "while time.process_time() - t < 0.3: pass\ntime.sleep(30)"])
    try:
        clock = ProcessClock(child.pid)
        first = clock.sample()
        assert first is not None and first.cpu_s >= 0
        deadline = time.monotonic() + 60
        while clock.sample().cpu_s < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert 0.3 <= clock.sample().cpu_s < 2.0
        clock._start = "not-its-start-time"  # as if the pid now named another process
        assert clock.sample() is None
    finally:
        child.kill()
        child.wait()
    assert ProcessClock(child.pid).sample() is None  # reaped: gone


def test_overloaded_means_waiting_for_a_cpu_a_quarter_of_the_window():
    assert overloaded(0.3, 1.0) and not overloaded(0.2, 1.0) and not overloaded(0.0, 5.0)
