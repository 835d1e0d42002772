"""Grading on a Dask cluster (grader.batch.cluster), tested with a LocalCluster: the same
gradebook as the local pool, real sandboxed grading on the workers, and the pool's failure
handling (a killed worker, an overdue submission, a grader bug, an unreachable scheduler)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from batch_fakes import FakeAssignment, fake_grade, write_student  # noqa: E402
from batch_helpers import batch_env  # noqa: E402
from grader.batch.cluster import LOCAL_CONFIG, ClusterError  # noqa: E402
from grader.batch.driver import INTERNAL, OVERDUE, WORKER_KILLED, grade_batch  # noqa: E402
from grader.batch.gradebook import Gradebook  # noqa: E402

SCORES = {"alice": 10, "bob": 7, "carol": 0, "dave": 5, "erin": 3}


@dataclass(frozen=True)
class ElsewhereAssignment(FakeAssignment):
    """An assignment whose folder the Dask workers do not have."""

    root: str = "/nonexistent/course/solutions/fake"


@pytest.fixture(scope="module")
def cluster():
    """One LocalCluster of two single-threaded worker processes for the module, reached by its
    address like any external cluster, with the local cluster's settings."""
    import dask
    with dask.config.set(LOCAL_CONFIG):
        local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                         dashboard_address=":0", memory_limit=0,
                                         silence_logs=logging.CRITICAL)
    yield local.scheduler_address
    local.close()


@pytest.fixture
def fresh_cluster(request):
    """A LocalCluster of its own (2 workers, or the test's `indirect` parameter), for a test
    that ends workers (a restarted worker may not be back soon on a loaded machine, or at all:
    the module's other tests must not depend on it)."""
    import dask
    with dask.config.set(LOCAL_CONFIG):
        local = distributed.LocalCluster(n_workers=getattr(request, "param", 2),
                                         threads_per_worker=1, processes=True,
                                         dashboard_address=":0", memory_limit=0,
                                         silence_logs=logging.CRITICAL)
    yield local.scheduler_address
    local.close()


def _fake_class(root, extra=None):
    for student, score in SCORES.items():
        write_student(root, student, score)
    for student, how in (extra or {}).items():
        write_student(root, student, 0, **how)
    return root


def _run(root, gradebook, scheduler, **kwargs):
    options = dict(assignment=FakeAssignment(), gradebook_path=gradebook, secret="s", workers=2,
                   runner_kind=None, grade_fn=fake_grade, progress=False, scheduler=scheduler)
    options.update(kwargs)
    return grade_batch(root, **options)


def _rows(book, assignment, student):
    return [{k: v for k, v in row.items() if k != "submission_id"}
            for row in book.check_rows(assignment, student)]


def test_a_cluster_batch_records_the_same_gradebook_as_the_pool(tmp_path, cluster):
    root = _fake_class(tmp_path / "subs")
    on_cluster = _run(root, tmp_path / "dask.sqlite", cluster)
    in_pool = _run(root, tmp_path / "pool.sqlite", None)
    assert (on_cluster.graded, on_cluster.errors, on_cluster.internal_errors) == (5, 0, 0)
    with Gradebook(tmp_path / "dask.sqlite") as dask_book, \
            Gradebook(tmp_path / "pool.sqlite") as pool_book:
        assert dask_book.totals("fake") == pool_book.totals("fake") \
            == {s: (float(v), 10.0) for s, v in SCORES.items()}
        for student in SCORES:
            assert _rows(dask_book, "fake", student) == _rows(pool_book, "fake", student)
            on_dask, local = dask_book.latest("fake", student), pool_book.latest("fake", student)
            assert on_dask.submission_hash == local.submission_hash
    again = _run(root, tmp_path / "dask.sqlite", cluster)
    assert (again.graded, again.skipped) == (0, 5)


@pytest.mark.parametrize("fresh_cluster", [3], indirect=True)
def test_a_submission_that_kills_its_worker_twice_costs_only_itself(tmp_path, fresh_cluster):
    """Three workers: the two mallory kills leave one to grade the class, however slowly Dask
    brings the others back (under load, once, a killed worker of a shared cluster never came
    back, and every later test on that cluster failed or waited)."""
    root = _fake_class(tmp_path / "subs", extra={"mallory": {"extra": "KILL_WORKER"}})
    summary = _run(root, tmp_path / "gb.sqlite", fresh_cluster)
    assert (summary.graded, summary.errors, summary.internal_errors) == (5, 1, 0)
    with Gradebook(tmp_path / "gb.sqlite") as book:
        mallory = book.latest("fake", "mallory")
        assert mallory.status == "error" and mallory.message == WORKER_KILLED
        assert book.totals("fake")["mallory"] == (0.0, 10.0)
        assert {s: book.totals("fake")[s] for s in SCORES} == \
            {s: (float(v), 10.0) for s, v in SCORES.items()}


def test_an_overdue_submission_is_a_timeout_and_its_worker_is_stopped(tmp_path, fresh_cluster):
    cluster = fresh_cluster
    root = _fake_class(tmp_path / "subs", extra={"sloth": {"sleep": 300}})
    start = time.monotonic()
    summary = _run(root, tmp_path / "gb.sqlite", cluster, submission_timeout_s=3)
    # stopped, not waited for: one try of the 300 s sleep left to run would take 300 s (the
    # margin is for worker restarts, slow on a loaded machine)
    assert time.monotonic() - start < 300
    assert (summary.graded, summary.timeouts, summary.internal_errors) == (5, 1, 0)
    with Gradebook(tmp_path / "gb.sqlite") as book:
        sloth = book.latest("fake", "sloth")
        assert sloth.status == "timeout" and sloth.message == OVERDUE.format(s=3)
    client = distributed.Client(cluster)
    try:  # no worker is still running the overdue grading (its own is restarted by Dask)
        running = client.run(lambda dask_worker: sorted(  # a cancelled task may still run
            str(key) for key, task in dask_worker.state.tasks.items()
            if task.state in ("executing", "long-running", "cancelled", "resumed")))
        assert all(keys == [] for keys in running.values()), running
    finally:
        client.close()


def test_the_overdue_clock_starts_when_a_worker_starts_the_grading_not_at_hand_off(
        tmp_path, cluster):
    """Time a submission spends queued on a busy cluster is not its own: with both workers held
    by another client's 8 s tasks, submissions of 0.3 s and a 4 s backstop are all graded."""
    for student, score in SCORES.items():
        write_student(tmp_path / "subs", student, score, sleep=0.3)
    other = distributed.Client(cluster)
    try:
        blockers = [other.submit(time.sleep, 8, pure=False) for _ in range(2)]
        deadline = time.monotonic() + 30
        while sum(len(held) for held in other.processing().values()) < 2:
            assert time.monotonic() < deadline, "the blockers never reached the workers"
            time.sleep(0.05)
        summary = _run(tmp_path / "subs", tmp_path / "gb.sqlite", cluster,
                       submission_timeout_s=4)
        assert (summary.graded, summary.timeouts, summary.internal_errors) == (5, 0, 0)
        assert all(b.status == "finished" for b in blockers)  # nobody restarted their workers
    finally:
        other.close()
    with Gradebook(tmp_path / "gb.sqlite") as book:
        assert {s: book.totals("fake")[s] for s in SCORES} == \
            {s: (float(v), 10.0) for s, v in SCORES.items()}


def test_a_batch_whose_submissions_no_worker_starts_ends_with_them_recorded_as_errors(
        tmp_path, cluster):
    """A cluster that never starts the submissions (here both workers held by another client
    for 60 s; in life, workers lost) does not hang the batch: after 3 backstops each is an
    internal error, graded again by the next run."""
    from grader.batch.cluster import NOT_STARTED
    root = _fake_class(tmp_path / "subs")
    other = distributed.Client(cluster)
    try:
        blockers = [other.submit(time.sleep, 60, pure=False) for _ in range(2)]
        deadline = time.monotonic() + 30
        while sum(len(held) for held in other.processing().values()) < 2:
            assert time.monotonic() < deadline, "the blockers never reached the workers"
            time.sleep(0.05)
        start = time.monotonic()
        summary = _run(root, tmp_path / "gb.sqlite", cluster, submission_timeout_s=2)
        assert time.monotonic() - start < 60  # it ended before a worker was free
        assert (summary.graded, summary.internal_errors) == (0, len(SCORES))
        other.cancel(blockers, force=True)
    finally:
        other.close()
    with Gradebook(tmp_path / "gb.sqlite") as book:
        for student in SCORES:
            row = book.latest("fake", student)
            assert row.status == "error" and row.message == f"{INTERNAL}: " + NOT_STARTED.format(s=6)


def _pretend_overloaded(flag: bool) -> None:
    """Run on a Dask worker: make its machine look overloaded (or restore the real judgement)."""
    import grader.runner.cputime as cputime
    if flag:
        cputime._real_machine_overloaded = getattr(cputime, "_real_machine_overloaded",
                                                   cputime.machine_overloaded)
        cputime.machine_overloaded = lambda: True
    elif hasattr(cputime, "_real_machine_overloaded"):
        cputime.machine_overloaded = cputime._real_machine_overloaded


def test_an_overdue_submission_on_an_overloaded_worker_is_tried_once_more(tmp_path,
                                                                         fresh_cluster):
    cluster = fresh_cluster
    from grader.batch.cluster import STARTED_TOPIC
    root = _fake_class(tmp_path / "subs", extra={"sloth": {"sleep": 60}})
    client = distributed.Client(cluster)
    try:
        client.run(_pretend_overloaded, True)
        before = {msg["key"] for _, msg in client.get_events(STARTED_TOPIC)}
        summary = _run(root, tmp_path / "gb.sqlite", cluster, submission_timeout_s=3)
        assert (summary.graded, summary.timeouts, summary.internal_errors) == (5, 1, 0)
        starts = [msg["key"] for _, msg in client.get_events(STARTED_TOPIC)
                  if msg["key"].startswith("grade-sloth-") and msg["key"] not in before]
        assert len(starts) == 2 and len(set(starts)) == 2, starts  # tried twice, recorded once
    finally:
        client.close()
    with Gradebook(tmp_path / "gb.sqlite") as book:
        sloth = book.latest("fake", "sloth")
        assert sloth.status == "timeout" and sloth.message == OVERDUE.format(s=3)
        assert book.count("fake", "sloth") == 1


def test_a_cluster_without_workers_ends_the_batch_with_every_student_recorded(tmp_path,
                                                                             monkeypatch):
    """No backstop set and no worker at all (all lost, none back): the batch ends after
    NO_WORKERS_S, each submission an internal error that the next run grades; before, it
    waited for ever (seen: a stress run hung 15 min in distributed.wait)."""
    import dask

    import grader.batch.cluster as cluster_module
    monkeypatch.setattr(cluster_module, "NO_WORKERS_S", 1.0)
    monkeypatch.setattr(cluster_module, "POLL_S", 0.2)
    root = _fake_class(tmp_path / "subs")
    with dask.config.set(LOCAL_CONFIG):
        empty = distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0",
                                          silence_logs=logging.CRITICAL)
    try:
        summary = _run(root, tmp_path / "gb.sqlite", empty.scheduler_address)
    finally:
        empty.close()
    assert (summary.graded, summary.internal_errors) == (0, len(SCORES))
    with Gradebook(tmp_path / "gb.sqlite") as book:
        for student in SCORES:
            row = book.latest("fake", student)
            assert row.status == "error"
            assert row.message == f"{INTERNAL}: " + cluster_module.NO_WORKERS.format(s=1)


def test_a_dask_worker_says_when_it_starts_a_task(cluster):
    from grader.batch.cluster import STARTED_TOPIC, _say_started
    client = distributed.Client(cluster)
    try:
        future = client.submit(_say_started, pure=False, key="grader-started-probe")
        future.result(timeout=30)
        deadline = time.monotonic() + 10
        while not any(msg.get("key") == "grader-started-probe"
                      for _, msg in client.get_events(STARTED_TOPIC)):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        client.close()


def test_a_grader_bug_on_a_worker_is_loud_and_recorded_as_an_error(tmp_path, cluster, capsys):
    root = _fake_class(tmp_path / "subs", extra={"trent": {"extra": "RAISE"}})
    summary = _run(root, tmp_path / "gb.sqlite", cluster)
    assert (summary.graded, summary.internal_errors) == (5, 1)
    assert "RuntimeError: a bug in a check" in capsys.readouterr().err
    with Gradebook(tmp_path / "gb.sqlite") as book:
        trent = book.latest("fake", "trent")
        assert trent.status == "error" and trent.message.startswith(INTERNAL)


def test_workers_without_the_course_stop_the_batch_with_a_clear_error(tmp_path, cluster):
    root = _fake_class(tmp_path / "subs")
    with pytest.raises(ClusterError, match="could not set up the course.*no /nonexistent/course"):
        _run(root, tmp_path / "gb.sqlite", cluster, assignment=ElsewhereAssignment())
    with Gradebook(tmp_path / "gb.sqlite") as book:
        assert book.count("fake") == 0  # nothing graded, nothing recorded as if it were


def test_losing_the_scheduler_mid_batch_is_a_clear_error_and_a_rerun_grades_the_rest(tmp_path):
    import threading

    import dask
    root = tmp_path / "subs"
    for i in range(8):
        write_student(root, f"s{i}", i, sleep=1.0)
    with dask.config.set(LOCAL_CONFIG):
        doomed = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                          dashboard_address=":0", memory_limit=0,
                                          silence_logs=logging.CRITICAL)
    address = doomed.scheduler_address
    timer = threading.Timer(2.5, doomed.close)  # after the first two or four results
    timer.start()
    try:
        with pytest.raises(ClusterError, match="lost the Dask scheduler.*run the same command"):
            _run(root, tmp_path / "gb.sqlite", address)
    finally:
        timer.join()
        doomed.close()
    with Gradebook(tmp_path / "gb.sqlite") as book:
        first = book.count("fake")
    assert 2 <= first < 8
    again = _run(root, tmp_path / "gb.sqlite", "local")
    assert (again.skipped, again.graded) == (first, 8 - first)
    with Gradebook(tmp_path / "gb.sqlite") as book:
        assert book.totals("fake") == {f"s{i}": (float(i), 10.0) for i in range(8)}


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    root = _fake_class(tmp_path / "subs")
    from grader.batch import cluster as module
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        with module.connect("tcp://127.0.0.1:9", 1, connect_timeout_s=1):
            pass
    assert root.exists()


def test_the_grade_command_grades_a_real_class_on_a_local_cluster_in_the_sandbox(tmp_path):
    """`grade --scheduler local`: the reference and a transposed-dw bug, sandboxed on the Dask
    workers, score as they do in the local pool."""
    from grader.assignment import load_assignment
    spec = load_assignment("backprop")
    subs = tmp_path / "subs"
    for student in ("ref", "bug"):
        folder = subs / student
        folder.mkdir(parents=True)
        for module in spec.modules:
            shutil.copyfile(spec.root / f"{module}.py", folder / f"{module}.py")
    layers = subs / "bug" / "layers.py"
    text = layers.read_text()
    assert "dw = x.reshape(x.shape[0], -1).T @ dout" in text
    layers.write_text(text.replace("dw = x.reshape(x.shape[0], -1).T @ dout",
                                   "dw = (x.reshape(x.shape[0], -1).T @ dout).T"))
    books = {}
    for how, extra in (("dask", ["--scheduler", "local"]), ("pool", [])):
        books[how] = tmp_path / f"{how}.sqlite"
        done = subprocess.run([sys.executable, "-m", "grader", "grade", str(subs), "--assignment",
                               "backprop", "--workers", "2", "--gradebook", str(books[how]),
                               "--no-progress", *extra],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "graded 2" in done.stdout
    with Gradebook(books["dask"]) as dask_book, Gradebook(books["pool"]) as pool_book:
        totals = dask_book.totals("backprop")
        assert totals == pool_book.totals("backprop")
        assert totals["ref"][0] == totals["ref"][1] > totals["bug"][0]
        assert _rows(dask_book, "backprop", "bug") == _rows(pool_book, "backprop", "bug")
        failed = {row["check_id"] for row in dask_book.check_rows("backprop", "bug")
                  if row["status"] != "passed"}
        assert any("affine_backward" in check for check in failed)


def test_the_grade_command_reports_an_unreachable_scheduler_in_words(tmp_path):
    subs = _fake_class(tmp_path / "subs")
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(subs), "--assignment",
                           "backprop", "--scheduler", "tcp://127.0.0.1:9", "--no-progress",
                           "--gradebook", str(tmp_path / "gb.sqlite")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_cluster_started_with_the_dask_commands_grades_a_class(tmp_path):
    """The README's recipe for a cluster: `dask scheduler`, `dask worker ADDRESS --nthreads 1`
    (here on this machine, started as a TA would), then `grade --scheduler ADDRESS`."""
    dask_cli = Path(sys.executable).with_name("dask")
    if not dask_cli.exists():
        pytest.skip("the dask command is not installed beside this Python")
    env = {**batch_env(),  # the workers import batch_fakes, the fake grade function
           "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
           "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = [subprocess.Popen([str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-dashboard"], env=env, cwd=tmp_path,
                                  stdout=subprocess.DEVNULL, stderr=open(logs / "scheduler", "w"))]
    try:
        for n in range(2):
            processes.append(subprocess.Popen(
                [str(dask_cli), "worker", address, "--nthreads", "1", "--no-dashboard"],
                env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                stderr=open(logs / f"worker{n}", "w")))
        client = distributed.Client(address, timeout=60)
        try:
            client.wait_for_workers(2, timeout=60)
        finally:
            client.close()
        subs = _fake_class(tmp_path / "subs")
        summary = _run(subs, tmp_path / "gb.sqlite", address)
        assert (summary.graded, summary.errors, summary.internal_errors) == (5, 0, 0)
        with Gradebook(tmp_path / "gb.sqlite") as book:
            assert book.totals("fake") == {s: (float(v), 10.0) for s, v in SCORES.items()}
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
