"""The gradebook under abuse: a batch SIGKILLed at any moment and restarted grades every
submission exactly once with the same scores, leaves no orphan workers, and two batches on one
gradebook at once do not corrupt it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from batch_fakes import FakeAssignment, fake_grade, write_student
from batch_helpers import batch_command, batch_env
from grader.batch.driver import grade_batch
from grader.batch.gradebook import Gradebook

STUDENTS = {f"student{i:02d}": (i * 7) % 11 for i in range(16)}


def _class(root: Path, sleep: float) -> Path:
    for student, score in STUDENTS.items():
        write_student(root, student, score, sleep=sleep)
    return root


def _clean_totals(root: Path, tmp_path: Path) -> dict:
    gradebook = tmp_path / "clean.sqlite"
    grade_batch(root, assignment=FakeAssignment(), gradebook_path=gradebook, secret="test-secret",
                workers=2, runner_kind=None, grade_fn=fake_grade, progress=False)
    with Gradebook(gradebook) as book:
        return book.totals("fake")


def _recorded(gradebook: Path) -> int:
    if not gradebook.exists():
        return 0
    with Gradebook(gradebook) as book:
        return book.count("fake")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _kill_when(gradebook: Path, env: dict, root: Path, at_least: int, timeout: float = 300.0) -> int:
    proc = subprocess.Popen(batch_command(root, gradebook), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while _recorded(gradebook) < at_least and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return _recorded(gradebook)


def test_sigkilled_batch_restarted_grades_each_submission_exactly_once(tmp_path):
    env = batch_env()
    env["TMPDIR"] = str(tmp_path / "scratch")  # where the batches put their job folders
    (tmp_path / "scratch").mkdir()
    root = _class(tmp_path / "submissions", sleep=0.15)
    expected = _clean_totals(root, tmp_path)
    log = tmp_path / "gradings.log"
    env["FAKE_GRADE_LOG"] = str(log)
    gradebook = tmp_path / "gb" / "gradebook.sqlite"
    first = _kill_when(gradebook, env, root, at_least=0)   # killed while starting up
    second = _kill_when(gradebook, env, root, at_least=first + 4)  # killed mid-run
    assert second < len(STUDENTS), "the batch finished before it could be killed"
    done = subprocess.run(batch_command(root, gradebook), env=env, capture_output=True,
                          text=True, timeout=900, check=True)
    graded, skipped = map(int, done.stdout.split("RESULT")[1].split()[:2])
    assert (graded, skipped) == (len(STUDENTS) - second, second)
    with Gradebook(gradebook) as book:
        assert all(book.count("fake", s) == 1 for s in STUDENTS)
        assert book.totals("fake") == expected
    # the killed runs' workers died with them (no orphan keeps grading)
    pids = {int(line.split()[1]) for line in log.read_text().splitlines()}
    deadline = time.monotonic() + 120   # generous for a loaded machine; ends as soon as they die
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p for p in pids if _alive(p)] == []
    # the job folders the killed runs left were swept by the restart, which removed its own
    assert list((tmp_path / "scratch").glob("grader-batch-*")) == []


def test_two_batches_on_one_gradebook_at_once_do_not_corrupt_it(tmp_path):
    env = batch_env()
    root = _class(tmp_path / "submissions", sleep=0.05)
    expected = _clean_totals(root, tmp_path)
    gradebook = tmp_path / "shared.sqlite"
    procs = [subprocess.Popen(batch_command(root, gradebook, workers=1), env=env,
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=900)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    for out in outputs:
        graded, skipped, errors, internal = map(int, out.split("RESULT")[1].split())
        assert graded + skipped == len(STUDENTS) and errors == internal == 0
    with Gradebook(gradebook) as book:
        assert all(book.count("fake", s) == 1 for s in STUDENTS)
        assert book.totals("fake") == expected
    with sqlite3.connect(gradebook) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT COUNT(*) FROM check_results").fetchone()[0] == 2 * len(STUDENTS)
