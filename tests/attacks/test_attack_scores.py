"""Every attack of corpus/, graded end to end like a real submission: no score above the honest one.

test_attack_corpus.py pins the runner's verdict on each attack's calls; here the whole grading
runs (grade_submission with every check, visible and hidden, through the sandbox) and the score
is held to what the attack honestly earned:
- an attack whose calls run to the end but answer dishonestly ("kind": "ok", "honest_credit":
  false: guessed, forged or faked arrays) scores 0 on every task;
- any other attack earns nothing on tasks it did not implement (whatever it earns elsewhere
  comes from arrays its functions returned before the hostile act stopped them, and every
  verdict is computed in the grader from those arrays);
- an attack that does correct work and then something hostile ("honest_credit": true) scores
  nothing on tasks it did not implement, and on the ones it did it keeps full credit or loses it
  only to a check whose status says it was stopped (timeout, crash) in plain words;
- every check that did not pass says why.
"""

import ast
import json
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.checks.grade import grade_submission
from grader.checks.scoring import score
from grader.checks.secret import DEV_SECRET
from grader.runner.isolation import detect
from grader.runner.sandbox import sandbox_factory

CORPUS = Path(__file__).parent / "corpus"
ATTACKS = sorted(p.name for p in CORPUS.iterdir() if (p / "layers.py").is_file())
LAYERS = detect()
STOPPED = {"timeout", "error", "crashed"}


@pytest.fixture(scope="module")
def factory(tmp_path_factory):
    made = sandbox_factory(call_timeout_s=1.0, total_timeout_s=8.0, memory_bytes=512 << 20,
                           job_base=str(tmp_path_factory.mktemp("jobs")))
    yield made
    made.close()


@pytest.fixture(scope="module")
def assignment():
    return load_assignment("backprop")


def implemented_tasks(attack: Path, assignment) -> set[str]:
    """Tasks whose every function the attack's layers.py defines at top level."""
    tree = ast.parse((attack / "layers.py").read_text())
    defined = {f"layers.{n.name}" for n in tree.body if isinstance(n, ast.FunctionDef)}
    return {t.id for t in assignment.tasks if set(t.functions) <= defined}


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_scores_no_more_than_its_honest_work(name, factory, assignment):
    folder = CORPUS / name
    expected = json.loads((folder / "expected.json").read_text())
    missing = [layer for layer in expected.get("needs", []) if not LAYERS.get(layer)]
    if missing:
        pytest.skip(f"this machine lacks {missing}, which the verdict relies on")
    result = grade_submission(folder, assignment=assignment, student_id=f"attacker-{name}",
                              secret=DEV_SECRET, runner_factory=factory)
    per_task = score(result.checks)
    dishonest = expected["kind"] == "ok" and not expected["honest_credit"]
    honest = set() if dishonest else implemented_tasks(folder, assignment)
    for task, (got, possible) in per_task.items():
        if task not in honest:
            assert got == 0, f"{name} earned {got}/{possible} on {task} without doing its work"
    for check in result.checks:
        if check.status != "passed":
            assert check.message.strip(), f"{name}: {check.check_id} failed without saying why"
        if (expected["honest_credit"] and check.task in honest
                and check.score < check.max_score and check.status != "missing"):
            assert check.status in STOPPED or "terminated" in check.message.lower() or \
                "killed" in check.message.lower(), (
                f"{name}: honest work on {check.task} lost points without a stopped verdict: "
                f"{check.status}: {check.message}")
