"""What a submission leaves in its job dir changes nothing outside it, whichever layers are on.

The corpus attacks that leave links, hard links, FIFOs, sockets and locked folders behind run
with the worker in a user namespace (clean-up of the scratch folder by the worker, as root of
that namespace) and without one (clean-up of the job dir by the grader itself), and once with
Landlock and seccomp off too (then the child can make FIFOs, sockets and device nodes, and reach
the job's ``out/`` folder). After each: the decoy course tree around the job dirs is unchanged
(contents, modes, owners, link counts), the job dir is gone, and no process of the run is alive.
"""

import json
import os
from pathlib import Path

import pytest

from grader.runner import StudentError
from grader.runner.isolation import userns_available
from grader.runner.sandbox import sandbox_factory

from test_attack_corpus import CORPUS, assert_none_alive, give_modes, grade_affine, tree_digest

LEAVERS = ["symlink_then_crash", "symlink_then_finish", "hardlink_fifo_socket_then_finish",
           "deep_nesting_then_finish"]
SETUPS = [pytest.param({"userns": False}, id="no-userns")]
if userns_available():
    SETUPS.append(pytest.param({"userns": True}, id="userns"))
SETUPS.append(pytest.param({"userns": False, "landlock": False, "seccomp": False}, id="no-layers"))


def _course(root: Path, attack: str) -> Path:
    (root / "solutions" / "backprop").mkdir(parents=True)
    (root / "solutions" / "backprop" / "layers.py").write_text("SECRET = 1\n")
    (root / "gradebook.sqlite").write_bytes(os.urandom(2048))
    (root / "course_secret.txt").write_text("dev-secret\n")
    (root / "submissions" / attack).mkdir(parents=True)
    (root / "submissions" / attack / "layers.py").write_text((CORPUS / attack / "layers.py").read_text())
    give_modes(root)
    (root / "jobs").mkdir()
    return root


@pytest.mark.parametrize("setup", SETUPS)
@pytest.mark.parametrize("attack", LEAVERS)
def test_what_a_submission_leaves_behind_changes_nothing_outside_and_nothing_runs_on(
        attack, setup, tmp_path):
    course = _course(tmp_path / "course", attack)
    before = tree_digest(course, skip="jobs")
    expected = json.loads((CORPUS / attack / "expected.json").read_text())
    factory = sandbox_factory(call_timeout_s=2.0, total_timeout_s=10.0, memory_bytes=512 << 20,
                              job_base=str(course / "jobs"), **setup)
    pids = []
    try:
        with factory(course / "submissions" / attack) as runner:
            assert grade_affine(runner)[:2] == ("ok", True)
            pids.append(runner.pid)
            try:
                runner.call("layers", "attack")
                kind = "ok"
            except StudentError as error:
                kind = error.kind
            assert kind == expected["after"]["kind"]
            job_root = runner.job.root
        worker = factory.worker()
        assert not os.path.exists(job_root)
        with factory(course / "submissions" / attack) as runner:  # the next spawn settles the last
            pids.append(runner.pid)
            assert grade_affine(runner)[:2] == ("ok", True)
        assert tree_digest(course, skip="jobs") == before, "a mode or file outside the job dir changed"
    finally:
        factory.close()
    assert tree_digest(course, skip="jobs") == before
    assert os.listdir(course / "jobs") == [], "a job dir or scratch mount point was left behind"
    assert_none_alive(pids + [worker.pid])
