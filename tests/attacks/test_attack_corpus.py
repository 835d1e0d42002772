"""Every hostile submission in corpus/ runs through the sandbox and gets its expected verdict.

Each corpus/<attack>/ holds a ``layers.py`` for the backprop assignment and an ``expected.json``:
``{"kind": verdict of the graded calls, "honest_credit": whether their answers are right,
"explain": ..., "after": {"function": f, "kind": verdict}, "needs": ["landlock"|"seccomp"|"userns"],
"cpu": "calibrated"}`` ("after": a hostile act run after the graded work; "needs": the layer the
verdict relies on, skipped where the machine lacks it; "cpu": the attack fills memory until a
limit stops it, which costs CPU time that grows on a loaded machine (page faults), so its
calls' CPU budget is calibrated in the same run: a few times what a fresh child spends touching
the memory limit right now, never under the 1 s the others get). The graded work is ``affine_forward`` (cache kept in the child) then
``affine_backward``; the verdict is the kind of the first StudentError, or "ok".

For each attack: the grader survives, the verdict is the expected one, no answer is credited
beyond the honest one, the grader's input arrays are untouched, no file outside the job dir
changes (a hashed decoy course tree with solutions, checks, a gradebook and another student's
submission sits around the job dirs: contents, modes, owners and link counts), and the same
runner factory then grades a correct submission correctly.
"""

import hashlib
import json
import os
import shutil
import stat
import time
from pathlib import Path

import numpy as np
import pytest

from grader.runner import ERROR_KINDS, Handle, StudentError
from grader.runner.isolation import detect
from grader.runner.sandbox import sandbox_factory

CORPUS = Path(__file__).parent / "corpus"
ATTACKS = sorted(p.name for p in CORPUS.iterdir() if (p / "layers.py").is_file())
REPO = Path(__file__).resolve().parents[2]
LAYERS = detect()  # an attack may need a layer ("needs": ["landlock"]); without it, it is skipped
MEMORY_BYTES = 512 << 20
MARKERS = [Path("/tmp/grader-attack-marker"), Path.home() / "grader-attack-marker"]
CORRECT = '''
def affine_forward(x, w, b):
    return x.reshape(x.shape[0], -1) @ w + b, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)
'''


def tree_digest(root: Path, skip: str) -> dict:
    """{relative path: (mode, owner, links, sha256 of a file)} of root and everything under it
    except the ``skip`` folder, nothing followed: a chmod, chown or new hard link shows."""
    digests = {}
    for path in [root, *sorted(root.rglob("*"))]:
        rel = path.relative_to(root)
        if rel.parts and rel.parts[0] == skip:
            continue
        info = path.lstat()
        body = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else ""
        digests[str(rel)] = (info.st_mode, info.st_uid, info.st_gid, info.st_nlink, body)
    return digests


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def assert_none_alive(pids, seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in pids), "a student process outlived its submission by 2 s"


def scheduling(pid: int) -> tuple:
    """What a process's CPU share depends on: nice value, policy, allowed CPUs."""
    return (os.getpriority(os.PRIO_PROCESS, pid), os.sched_getscheduler(pid),
            frozenset(os.sched_getaffinity(pid)))


def give_modes(root: Path) -> None:
    """Modes a clean-up that follows a link would change (tmp dirs are made 0700, files 0644)."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        path.chmod(0o751 if path.is_dir() else 0o640)
    (root / "solutions").chmod(0o555)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A decoy course tree: solutions, checks, gradebook, other students; job dirs made inside."""
    root = tmp_path_factory.mktemp("course")
    solutions = root / "solutions" / "backprop"
    solutions.mkdir(parents=True)
    reference = REPO / "solutions" / "backprop" / "layers.py"
    (solutions / "layers.py").write_text(reference.read_text() if reference.exists() else CORRECT)
    (solutions / "checks.py").write_text("HIDDEN_SEED = 1234\n")
    (root / "gradebook.sqlite").write_bytes(os.urandom(4096))
    (root / "course_secret.txt").write_text("dev-secret\n")
    other = root / "submissions" / "other_student"
    other.mkdir(parents=True)
    (other / "layers.py").write_text("import numpy as np\n" + CORRECT)
    for name in ATTACKS:
        shutil.copytree(CORPUS / name, root / "submissions" / name)
    give_modes(root)
    (root / "jobs").mkdir()
    return root


@pytest.fixture(scope="module")
def factory(course):
    made = sandbox_factory(call_timeout_s=1.0, total_timeout_s=6.0, memory_bytes=MEMORY_BYTES,
                           job_base=str(course / "jobs"))
    yield made
    made.close()


TOUCH_MEMORY = r"""
import resource, sys
import numpy as np
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
hoard = []
try:
    while True:
        hoard.append(np.ones(1 << 24))
except MemoryError:
    pass
usage = resource.getrusage(resource.RUSAGE_SELF)
print(usage.ru_utime + usage.ru_stime)
"""


def calibrated_call_budget(memory_bytes: int = MEMORY_BYTES) -> float:
    """A call budget for an attack that fills memory: 4x the CPU seconds a fresh child (numpy
    imported, as in the sandbox) spends touching `memory_bytes` now, and at least 1 s."""
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", TOUCH_MEMORY, str(memory_bytes)],
                          capture_output=True, text=True, timeout=300, check=True)
    return max(1.0, 4 * float(done.stdout.split()[-1]))


def _inputs():
    rng = np.random.default_rng(231)
    x, w, b = rng.standard_normal((4, 2, 3)), rng.standard_normal((6, 5)), rng.standard_normal(5)
    return x, w, b, rng.standard_normal((4, 5))


def _is_close(value, target) -> bool:
    return (type(value) is np.ndarray and value.dtype == np.float64 and value.shape == target.shape
            and bool(np.allclose(value, target, rtol=1e-10, atol=1e-12)))


def grade_affine(runner) -> tuple[str, bool, list]:
    """Run the graded work; return (verdict kind, honest credit, the StudentErrors seen)."""
    x, w, b, dout = _inputs()
    flat = x.reshape(4, 6)
    truth = (flat @ w + b, (dout @ w.T).reshape(x.shape), flat.T @ dout, dout.sum(axis=0))
    try:
        forward = runner.call("layers", "affine_forward", x, w, b, keep=(1,))
        cache = forward[1] if type(forward) is tuple and len(forward) == 2 else None
        backward = runner.call("layers", "affine_backward", dout, cache)
    except StudentError as error:
        return error.kind, False, [error]
    credit = (type(forward) is tuple and _is_close(forward[0], truth[0]) and type(forward[1]) is Handle
              and type(backward) is tuple and len(backward) == 3
              and all(_is_close(got, want) for got, want in zip(backward, truth[1:])))
    return "ok", credit, []


def test_the_corpus_covers_at_least_thirty_attacks_with_valid_expectations():
    assert len(ATTACKS) >= 30
    for name in ATTACKS:
        expected = json.loads((CORPUS / name / "expected.json").read_text())
        assert expected["kind"] in ("ok",) + ERROR_KINDS, name
        assert expected.get("cpu", "calibrated") == "calibrated", name
        assert type(expected["honest_credit"]) is bool and expected["explain"], name
        if "after" in expected:
            assert expected["after"]["kind"] in ("ok",) + ERROR_KINDS, name
        assert set(expected.get("needs", [])) <= {"landlock", "seccomp", "userns"}, name


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_gets_its_verdict_and_changes_nothing_outside_its_job_dir(name, course, factory):
    expected = json.loads((CORPUS / name / "expected.json").read_text())
    missing = [layer for layer in expected.get("needs", []) if not LAYERS[layer]]
    if missing:
        pytest.skip(f"{name} needs {', '.join(missing)}, which this machine lacks (see `doctor`)")
    for marker in MARKERS:
        marker.unlink(missing_ok=True)
    before = tree_digest(course, skip="jobs")
    own_scheduling = scheduling(0)
    x, w, b, dout = _inputs()

    pids = []
    if expected.get("cpu") == "calibrated":
        call_s = calibrated_call_budget()
        attack_factory = sandbox_factory(call_timeout_s=call_s, total_timeout_s=6.0 * call_s,
                                         memory_bytes=MEMORY_BYTES, job_base=str(course / "jobs"))
    else:
        attack_factory = factory
    try:
        with attack_factory(course / "submissions" / name) as runner:
            kind, credit, errors = grade_affine(runner)
            pids.append(runner.pid)
            assert (kind, credit) == (expected["kind"], expected["honest_credit"]), \
                f"{name}: got {kind}/{credit}, errors {[str(e) for e in errors]}"
            for error in errors:  # the feedback says what happened, in words, naming no grader internals
                assert len(error.message) > 15 and "Traceback" not in error.message
                assert "grader/" not in error.message
            if "after" in expected:
                try:
                    runner.call("layers", expected["after"]["function"])
                    after_kind = "ok"
                except StudentError as error:
                    after_kind = error.kind
                assert after_kind == expected["after"]["kind"], name
                pids.append(runner.pid)
            job_root = runner.job.root
            worker = runner.worker
            # the worker passes its scheduling on to every later child: no child may change it
            if worker is not None and worker.alive():
                assert scheduling(worker.pid) == own_scheduling, "the worker's scheduling changed"
    finally:
        if attack_factory is not factory:
            attack_factory.close()
    assert_none_alive([pid for pid in pids if pid])
    assert scheduling(0) == own_scheduling, "the grader's scheduling changed"

    assert not os.path.exists(job_root), "the job dir is removed after the submission"
    assert tree_digest(course, skip="jobs") == before, "a file outside the job dir changed"
    assert not any(marker.exists() for marker in MARKERS), "a file appeared outside the job dir"
    x2, w2, b2, dout2 = _inputs()
    assert all(np.array_equal(p, q) for p, q in ((x, x2), (w, w2), (b, b2), (dout, dout2)))

    # the same factory (and, unless the attack killed it, the same worker) serves the next student
    with factory(course / "submissions" / "other_student") as runner:
        assert grade_affine(runner)[:2] == ("ok", True)
    # the worker removes a released child's scratch folder only when it reaps it, which the next
    # spawn guarantees: look again once that happened
    assert tree_digest(course, skip="jobs") == before, "the clean-up changed a file outside the job dir"
