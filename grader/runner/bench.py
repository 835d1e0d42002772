"""The sandbox's per-submission overhead against a bare fork+wait, from the same warm worker.

``sandbox_overhead(n=200)`` asks a fresh sandbox worker to time, n times each:
- bare: ``fork()``; the child ``_exit(0)``s; ``waitpid``;
- setup: fork, then everything the sandbox applies per submission (``Worker.set_up_child``:
  setsid, death with the worker, stream and fd set-up, rlimits, capability drop,
  no_new_privs, Landlock, seccomp), exit and ``waitpid``: the sandbox's own overhead;
- full: fork + setsid + rlimits + capability drop + no_new_privs + Landlock + seccomp + the
  ready frame, one trivial call over the protocol pipes, exit and ``waitpid``;
- unconfined: the same child and call without the isolation layers (what the layers cost);
and adds the grader-side end-to-end time of ``factory(dir)`` + one call + ``close()`` (which
also copies the submission into a job dir and talks to the worker). Medians, in milliseconds.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

import numpy as np

from grader.runner.protocol import read_frame, write_frame

TRIVIAL_SUBMISSION = "def f():\n    return 1\n"


def _summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median_ms": 1e3 * statistics.median(ordered), "p90_ms": 1e3 * ordered[int(0.9 * (len(ordered) - 1))],
            "mean_ms": 1e3 * statistics.fmean(ordered)}


def worker_bench(worker, sock, request: dict) -> dict:
    """Runs inside the worker process (op "bench")."""
    n, work = int(request["n"]), request["work"]
    out_path = os.path.join(request["out"], "bench-out")
    bare, setup, full, unconfined = [], [], [], []
    ready = answer = {}
    for _ in range(n):  # interleaved, so that load from other processes hits all alike
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        bare.append(time.perf_counter() - start)
        setup.append(_set_up_only(worker, sock, work, out_path))
        for confined, samples in ((True, full), (False, unconfined)):
            seconds, ready, answer = _one_child(worker, sock, work, out_path, confined=confined)
            samples.append(seconds)
            if not (ready.get("ready") and answer.get("value") == 1):
                return {"error": f"bench child misbehaved: {ready!r} {answer!r}"}
            if confined:
                layers = ready["layers"]
    return {"bare": _summary(bare), "setup": _summary(setup), "full": _summary(full),
            "unconfined": _summary(unconfined), "layers": layers}


def _set_up_only(worker, sock, work: str, out_path: str) -> float:
    """Seconds to fork a child, apply everything the sandbox applies per submission (the same
    `set_up_child` a grading child runs), exit and be reaped: the sandbox's own overhead."""
    fds = [*os.pipe(), os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)]
    fds.append(os.dup(fds[2]))
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            worker.set_up_child(sock, {"work": work}, fds)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    seconds = time.perf_counter() - start
    for fd in fds:
        os.close(fd)
    return seconds


def _one_child(worker, sock, work: str, out_path: str, *, confined: bool):
    """Fork a child serving `work`, make one trivial call, let it exit; (seconds, ready, answer).
    confined=False skips the isolation layers (the benchmark's own baseline, never grading)."""
    to_r, to_w = os.pipe()
    from_r, from_w = os.pipe()
    out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    err_fd = os.dup(out_fd)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        if not confined:
            worker.confine = _chdir_only
        worker.child_main(sock, {"work": work}, [to_r, from_w, out_fd, err_fd])
    for fd in (to_r, from_w, out_fd, err_fd):
        os.close(fd)
    ready = read_frame(from_r)
    write_frame(to_w, {"op": "call", "calls": [{"module": "layers", "function": "f"}]})
    answer = read_frame(from_r)
    write_frame(to_w, {"op": "exit"})
    os.waitpid(pid, 0)
    seconds = time.perf_counter() - start
    os.close(to_w)
    os.close(from_r)
    return seconds, ready, answer


def _chdir_only(work: str, fsize: int | None = None) -> dict:
    os.chdir(work)
    return {}


def sandbox_overhead(n: int = 200, **factory_options) -> dict:
    """Time sandbox set-up + teardown against bare fork+wait; see the module docstring.

    Returns {"n", "bare_fork_wait_ms", "setup_ms", "setup_ratio", "sandboxed_child_ms", "ratio",
    "unconfined_child_ms", "layers_ratio", "end_to_end_ms", "layers"} (medians in ms;
    "setup_ratio" = sandbox set-up / bare fork; "ratio" = sandboxed child with a call / bare fork;
    "unconfined_child_ms": the same child doing the same call without the isolation layers, and
    "layers_ratio" = sandboxed / unconfined: what the layers themselves cost).
    """
    from grader.runner.sandbox import sandbox_factory

    factory = sandbox_factory(**factory_options)
    try:
        with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
            work, out = os.path.join(tmp, "work"), os.path.join(tmp, "out")
            os.mkdir(work)
            os.mkdir(out)
            with open(os.path.join(work, "layers.py"), "w") as handle:
                handle.write(TRIVIAL_SUBMISSION)
            reply = factory.worker().request({"op": "bench", "n": n, "work": work, "out": out})
            end_to_end = []
            for _ in range(max(10, n // 4)):
                start = time.perf_counter()
                with factory(work) as runner:
                    runner.call("layers", "f")
                end_to_end.append(time.perf_counter() - start)
    finally:
        factory.close()
    bare, full = reply["bare"]["median_ms"], reply["full"]["median_ms"]
    setup, unconfined = reply["setup"]["median_ms"], reply["unconfined"]["median_ms"]
    return {"n": n, "bare_fork_wait_ms": bare, "setup_ms": setup, "setup_ratio": setup / bare,
            "sandboxed_child_ms": full, "ratio": full / bare,
            "unconfined_child_ms": unconfined, "layers_ratio": full / unconfined,
            "bare": reply["bare"], "setup": reply["setup"], "full": reply["full"],
            "unconfined": reply["unconfined"],
            "end_to_end_ms": _summary(end_to_end)["median_ms"], "layers": reply["layers"]}


def round_trip_ms(kind: str = "sandbox", repeats: int = 500, shape: tuple = (4, 5)) -> float:
    """Median milliseconds of one ``call`` (a float64 array of ``shape`` there and back)."""
    from grader.runner import make_runner_factory

    factory = make_runner_factory(kind)
    x = np.random.default_rng(0).standard_normal(shape)
    try:
        with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
            with open(os.path.join(tmp, "layers.py"), "w") as handle:
                handle.write("def echo(x):\n    return x\n")
            with factory(tmp) as runner:
                runner.call("layers", "echo", x)
                samples = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    runner.call("layers", "echo", x)
                    samples.append(time.perf_counter() - start)
    finally:
        getattr(factory, "close", lambda: None)()
    return 1e3 * statistics.median(samples)


if __name__ == "__main__":
    import json
    figures = sandbox_overhead()
    figures["round_trip_ms"] = {kind: round_trip_ms(kind) for kind in ("subprocess", "sandbox")}
    print(json.dumps(figures, indent=2))
