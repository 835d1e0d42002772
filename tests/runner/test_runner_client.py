"""The plain subprocess runner: the Runner contract of docs/ARCHITECTURE.md, failures as kinds.

Budgets are CPU time measured by the runner (``used_cpu_s``); timing assertions here are about
CPU time or ordering (never before a backstop), never about how fast the machine is now.
"""

import os
import time

import numpy as np
import pytest

from grader.runner import Call, Handle, StudentError, make_runner_factory
from grader.runner.client import StudentProcess

RUNNER_KINDS = ["subprocess", "sandbox"]


@pytest.fixture(params=RUNNER_KINDS)
def runner_for(request):
    """runner_for(folder) -> a Runner of each kind, closed after the test."""
    opened = []

    def make(folder, **limits):
        limits.setdefault("call_timeout_s", 2)
        limits.setdefault("total_timeout_s", 20)
        factory = make_runner_factory(request.param, **limits)
        runner = factory(folder)
        opened.append((factory, runner))
        return runner
    yield make
    for factory, runner in opened:
        runner.close()
        getattr(factory, "close", lambda: None)()


def test_forward_keeps_its_cache_in_the_child_and_backward_uses_it(make_submission, runner_for, AFFINE):
    student = runner_for(make_submission({"layers.py": AFFINE}))
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((4, 2, 3)), rng.standard_normal((6, 5)), rng.standard_normal(5)
    out, cache = student.call("layers", "affine_forward", x, w, b, keep=(1,))
    assert isinstance(cache, Handle)
    np.testing.assert_allclose(out, x.reshape(4, 6) @ w + b)
    dout = rng.standard_normal((4, 5))
    dx, dw, db = student.call("layers", "affine_backward", dout, cache)
    np.testing.assert_allclose(dw, x.reshape(4, 6).T @ dout)
    assert dx.shape == x.shape and db.shape == (5,)


def test_keep_minus_one_keeps_the_whole_return_value(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": "def f(x):\n    return [x, x]\ndef g(v):\n    return v[1] * 2\n"}))
    kept = student.call("layers", "f", 3, keep=(-1,))
    assert isinstance(kept, Handle)
    assert student.call("layers", "g", kept) == 6


def test_dicts_mutated_by_the_student_are_updated_in_place(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": '''
        import numpy as np
        def bn(x, bn_param):
            bn_param["running_mean"] = bn_param.get("running_mean", np.zeros(x.shape[1])) * 0.9 + 0.1 * x.mean(0)
            return x * 2
    '''}))
    param = {"mode": "train"}
    x = np.arange(6.0).reshape(2, 3)
    student.call("layers", "bn", x, param)
    student.call("layers", "bn", x, bn_param=param)
    np.testing.assert_allclose(param["running_mean"], 0.19 * x.mean(0))
    assert param["mode"] == "train"


def test_call_many_runs_in_order_and_reports_each_failure_in_place(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": '''
        def ok(v):
            return v + 1
        def todo(v):
            raise NotImplementedError("Need to implement for Task 1")
    '''}))
    results = student.call_many([Call("layers", "ok", (1,)), Call("layers", "todo", (1,)),
                                 Call("layers", "absent"), Call("other", "f"), Call("layers", "ok", (5,))])
    assert results[0] == 2 and results[4] == 6
    assert [r.kind for r in results[1:4]] == ["not_implemented", "missing", "missing"]


@pytest.mark.parametrize("source, kind, words", [
    ("def f():\n    return [1][3]\n", "exception", "IndexError: list index out of range (layers.py, line 2)"),
    ("import numpy as np\ndef f():\n    return np.array([object()])\n", "bad_return", "object"),
    ("def f():\n    return object()\n", "bad_return", "object"),
    ("import pickle\ndef f():\n    return pickle.dumps([1])\n", "bad_return", "bytes"),
    ("import sys\ndef f():\n    sys.exit(3)\n", "exception", "SystemExit"),
    ("def f():\n    raise KeyboardInterrupt\n", "exception", "KeyboardInterrupt"),
    ("raise ValueError('at import')\ndef f():\n    return 1\n", "import_error", "ValueError: at import"),
    # an uninstalled module imported at the top level fails only where it is used
    ("import torch\ndef f():\n    return torch.ones(1)\n", "exception", "torch"),
    ("import torch\nONE = torch.ones(1)\ndef f():\n    return 1\n", "import_error", "torch"),
    ("def f(:\n", "import_error", "SyntaxError"),
])
def test_student_failures_become_the_matching_kind(make_submission, runner_for, source, kind, words):
    student = runner_for(make_submission({"layers.py": source}))
    with pytest.raises(StudentError) as info:
        student.call("layers", "f")
    assert info.value.kind == kind
    assert words in info.value.message
    assert "grader/runner" not in info.value.message


def test_relative_imports_between_submission_modules_work(make_submission, runner_for, AFFINE):
    student = runner_for(make_submission({"layers.py": AFFINE, "layer_utils.py": '''
        from .layers import *
        def two(x, w, b):
            out, _ = affine_forward(x, w, b)
            return out * 2
    '''}))
    assert student.call("layer_utils", "two", np.ones((1, 2)), np.ones((2, 1)), np.zeros(1))[0, 0] == 4


def test_printing_a_fake_protocol_message_does_not_reach_the_grader(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": '''
        import os, sys
        def f():
            print("GRD1" + "x" * 10000)
            sys.stdout.flush()
            os.write(1, b"GRD1\\x00\\x00\\x00\\x10{}")
            os.write(2, b"GRD1 on stderr")
            return 42
    '''}))
    assert student.call("layers", "f") == 42


SPIN = '''
import time

def spin(seconds):
    """Burn `seconds` of CPU time (the student's own clock only decides how long to work)."""
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return seconds

def forever():
    while True:
        pass

def nap(seconds):
    time.sleep(seconds)
    return seconds

def ok():
    return 1
'''


def test_a_call_over_its_cpu_budget_is_killed_and_the_next_call_gets_a_fresh_child(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": SPIN}), call_timeout_s=0.5)
    with pytest.raises(StudentError) as info:
        student.call("layers", "forever")
    assert info.value.kind == "timeout" and "0.5 s of CPU time" in info.value.message
    # it got its whole budget (measured by the runner), and was stopped by it (the message says
    # CPU, not the wall backstop); how soon after depends on how often a loaded grader samples
    assert 0.5 <= student.used_cpu_s < 0.5 + 3.0
    assert student.call("layers", "ok") == 1


def test_a_child_that_dies_is_reported_as_crashed_with_its_stderr(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": '''
        import os, sys
        def die():
            os.write(2, b"last words")
            os._exit(7)
        def ok():
            return 1
    '''}))
    with pytest.raises(StudentError) as info:
        student.call("layers", "die")
    assert info.value.kind == "crashed" and "last words" in info.value.message
    assert student.call("layers", "ok") == 1


def test_a_handle_from_a_dead_child_is_reported_gone_not_misused(make_submission, runner_for, AFFINE):
    student = runner_for(make_submission({"layers.py": AFFINE + "\nimport os\ndef die():\n    os._exit(1)\n"}))
    _, cache = student.call("layers", "affine_forward", np.ones((1, 2)), np.ones((2, 1)), np.zeros(1), keep=(1,))
    with pytest.raises(StudentError):
        student.call("layers", "die")
    with pytest.raises(StudentError) as info:
        student.call("layers", "affine_backward", np.ones((1, 1)), cache)
    assert info.value.kind == "crashed" and "gone" in info.value.message


def test_the_total_cpu_budget_stops_all_further_calls(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": SPIN}), call_timeout_s=1, total_timeout_s=0.6)
    assert student.call("layers", "spin", 0.4) == 0.4
    with pytest.raises(StudentError) as info:
        student.call("layers", "spin", 0.4)
    assert info.value.kind == "timeout" and "total" in info.value.message
    assert "CPU time" in info.value.message
    used = student.used_cpu_s
    assert 0.6 <= used < 0.6 + 1.0
    with pytest.raises(StudentError) as info:
        student.call("layers", "ok")
    assert info.value.kind == "timeout" and student.used_cpu_s == used  # not even started


def test_the_child_environment_carries_no_secret(make_submission, monkeypatch, runner_for):
    monkeypatch.setenv("GRADER_SECRET", "hunter2")
    student = runner_for(make_submission({"layers.py": "import os\ndef env():\n    return dict(os.environ)\n"}))
    assert "hunter2" not in repr(student.call("layers", "env"))


def test_close_removes_the_job_directory(make_submission):
    student = StudentProcess(make_submission({"layers.py": "def f():\n    return open('x', 'w').write('hi')\n"}))
    assert student.call("layers", "f") == 2
    root = student.job.root
    assert os.path.exists(os.path.join(root, "work", "x"))
    student.close()
    assert not os.path.exists(root)


def test_a_child_that_stops_reading_requests_times_out_instead_of_hanging_the_grader(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": '''
        import fcntl, os
        KEEP = []
        def plug():
            # keep the request pipe's read end alive elsewhere, then put a silent pipe in its place
            for fd in range(3, 32):
                try:
                    if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDONLY:
                        continue
                    KEEP.append(os.dup(fd))
                    silent_r, silent_w = os.pipe()
                    KEEP.append(silent_w)
                    os.dup2(silent_r, fd)
                except OSError:
                    pass
            return 1
        def echo(x):
            return x
    '''}), call_timeout_s=1, wall_factor=2)
    assert student.call("layers", "plug") == 1
    with pytest.raises(StudentError) as info:
        student.call("layers", "echo", np.zeros(1 << 20))
    assert info.value.kind in ("timeout", "crashed")
    assert "stopped reading" in info.value.message or info.value.kind == "crashed"
    assert student.call("layers", "echo", 3) == 3


def test_time_the_grader_spends_between_calls_is_not_charged_to_the_student(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": SPIN}), call_timeout_s=2, total_timeout_s=0.7,
                         wall_factor=1)
    assert student.call("layers", "spin", 0.2) == 0.2
    time.sleep(0.8)  # the grader computing numerical gradients, say: past every budget in wall time
    assert student.call("layers", "spin", 0.2) == 0.2
    with pytest.raises(StudentError) as info:
        student.call("layers", "spin", 0.5)
    assert info.value.kind == "timeout" and "total" in info.value.message


def test_a_sleeping_function_costs_no_cpu_and_is_stopped_by_the_wall_backstop(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": SPIN}), call_timeout_s=0.4, wall_factor=5)
    start = time.monotonic()
    with pytest.raises(StudentError) as info:
        student.call("layers", "nap", 60)
    elapsed = time.monotonic() - start
    assert info.value.kind == "timeout" and "2 s of wall-clock time" in info.value.message
    assert "sleeping, blocked or waiting" in info.value.message
    assert elapsed >= 2.0  # never before the backstop (5 x its 0.4 s CPU budget)
    assert elapsed < 30    # and a sleeper is not starved of CPU: no second window
    assert student.used_cpu_s < 0.4
    assert student.call("layers", "ok") == 1


def test_a_function_that_timed_out_is_not_run_again_but_others_are(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": SPIN}), call_timeout_s=1.0)
    with pytest.raises(StudentError):
        student.call("layers", "forever")
    used, children = student.used_cpu_s, len(student.incidents)
    results = student.call_many([Call("layers", "forever"), Call("layers", "ok"), Call("layers", "forever")])
    assert [getattr(r, "kind", r) for r in results] == ["timeout", 1, "timeout"]
    assert "timed out earlier" in results[0].message
    # running it again would cost another 1 s of CPU and another killed child
    assert student.used_cpu_s - used < 0.5 and len(student.incidents) == children


def test_student_code_that_breaks_the_server_is_reported_in_words(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": '''
        import builtins
        def sabotage():
            builtins.isinstance = lambda obj, cls: True
            return (1, 2)
    '''}))
    with pytest.raises(StudentError) as info:
        student.call("layers", "sabotage")
    assert info.value.kind == "crashed"
    assert "broke the call server" in info.value.message and "Traceback" not in info.value.message


def test_a_module_that_hangs_at_import_costs_two_timeouts_not_one_per_function(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": "while True:\n    pass\ndef f():\n    return 1\n"
                                                       "def g():\n    return 2\ndef h():\n    return 3\n"}),
                         call_timeout_s=0.5)
    results = [student.call_many([Call("layers", name)])[0] for name in ("f", "g", "h", "g")]
    assert [r.kind for r in results] == ["timeout"] * 4
    assert "importing layers.py did not finish" in results[2].message
    # two call budgets (f, then the import alone), then immediate answers; one budget per
    # function would kill four children and spend 2 s of CPU
    assert len(student.incidents) == 2 and student.used_cpu_s < 3 * 0.5


def test_a_function_that_loops_does_not_block_its_neighbours_in_the_module(make_submission, runner_for):
    student = runner_for(make_submission({"layers.py": "def spin():\n    while True:\n        pass\n"
                                                       "def ok():\n    return 1\n"}), call_timeout_s=0.5)
    with pytest.raises(StudentError):
        student.call("layers", "spin")
    assert student.call("layers", "ok") == 1
