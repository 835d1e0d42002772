"""Authoring a new assignment (issue 13): `python -m grader new` scaffolds one that releases and
grades at once, and docs/AUTHORING.md, followed literally in a temporary copy of the course,
adds a swish layer without touching grader/ and still grades right.

The walk-through runs once per module: every `sh` block of the doc as a command in the copy's
root, every `append=FILE` block appended to its file, in the doc's order. The tests then read
what it printed and grade what it built (`grade --json`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.cli import main
from grader.scaffold import files_for, new_assignment

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "AUTHORING.md"
NAME = "activations"            # the doc's assignment
IGNORE = shutil.ignore_patterns("__pycache__")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
TOTAL = re.compile(r"^total\s+([\d.]+)/([\d.]+)", re.M)


@dataclass(frozen=True)
class Step:
    line: int          # where the block starts in the doc
    kind: str          # "sh" or "append"
    text: str
    path: str = ""     # the file an "append" block extends


def doc_steps(text: str) -> list[Step]:
    """The runnable blocks of the doc, in order: `sh` blocks and blocks whose first line is
    `append=FILE` (any language); other blocks are prose."""
    steps = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        language, body = match.group(1), match.group(2)
        first, _, rest = body.partition("\n")
        if first.startswith("append="):
            steps.append(Step(line, "append", rest, first.removeprefix("append=")))
        elif language == "sh":
            steps.append(Step(line, "sh", body))
    return steps


def copy_course(dest: Path) -> Path:
    """The parts of the course the commands need: the framework and the solutions."""
    for part in ("grader", "solutions"):
        shutil.copytree(REPO / part, dest / part, ignore=IGNORE)
    return dest


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def course_env() -> dict:
    """`python` is this venv's; no solutions override; the documented dev secret."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for name in ("GRADER_SOLUTIONS", "GRADER_SECRET", "PYTHONPATH"):
        env.pop(name, None)
    return env


def grade_json(course: Path, submission: str, assignment: str = NAME) -> dict[str, tuple]:
    """{task: (score, max)} of `python -m grader grade SUBMISSION --json` run in `course`."""
    run = subprocess.run([sys.executable, "-m", "grader", "grade", submission, "--assignment",
                          assignment, "--json"], cwd=course, env=course_env(),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert result["status"] == "graded", result["message"]
    tasks: dict[str, list[float]] = {}
    for check in result["checks"]:
        score = tasks.setdefault(check["task"], [0.0, 0.0])
        score[0] += check["score"]
        score[1] += check["max_score"]
    return {task: (round(s, 9), round(m, 9)) for task, (s, m) in tasks.items()}


@dataclass
class Walkthrough:
    course: Path
    steps: list[Step]
    outputs: list[str]              # stdout + stderr of each step ("" for an append)
    framework_before: dict[str, str]
    solutions_before: dict[str, str]


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory) -> Walkthrough:
    course = copy_course(tmp_path_factory.mktemp("course"))
    framework_before = tree_digest(course / "grader")
    solutions_before = tree_digest(course / "solutions")
    steps = doc_steps(DOC.read_text(encoding="utf-8"))
    outputs = []
    for step in steps:
        if step.kind == "append":
            target = course / step.path
            assert target.is_file(), f"docs/AUTHORING.md:{step.line}: no {step.path} to append to"
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(step.text)
            outputs.append("")
            continue
        run = subprocess.run(["bash", "-euo", "pipefail", "-c", step.text], cwd=course,
                             env=course_env(), capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, (f"docs/AUTHORING.md:{step.line}: {step.text}\n"
                                     f"{run.stdout}\n{run.stderr}")
        outputs.append(run.stdout + run.stderr)
    return Walkthrough(course, steps, outputs, framework_before, solutions_before)


def outputs_of(walk: Walkthrough, command: str) -> list[str]:
    """The outputs of the sh steps holding `command`, in order."""
    return [out for step, out in zip(walk.steps, walk.outputs)
            if step.kind == "sh" and command in step.text]


# ------------------------------------------------------------------------- grader new, alone

def test_grader_new_releases_and_grades_at_once(tmp_path):
    """The scaffold as written: the release passes every gate, the reference scores full
    marks and the released stubs zero."""
    course = copy_course(tmp_path)
    env = course_env()
    for command in (["new", "scaffolded"], ["release", "scaffolded"]):
        run = subprocess.run([sys.executable, "-m", "grader", *command], cwd=course, env=env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
    # the assignment's folder beside the one student runtime (grader.release.runtime)
    assert sorted(p.name for p in (course / "assignments").iterdir()) == ["_runtime", "scaffolded"]
    assert grade_json(course, "solutions/scaffolded", "scaffolded") == {
        "scaffolded/softplus": (3.0, 3.0)}
    assert grade_json(course, "assignments/scaffolded", "scaffolded") == {
        "scaffolded/softplus": (0.0, 3.0)}


def test_grader_new_refuses_an_existing_folder_and_a_bad_name_in_one_line(tmp_path, capsys):
    (tmp_path / "solutions" / "taken").mkdir(parents=True)
    for name, words in [("taken", "already exists"), ("Bad-Name", "cannot name an assignment"),
                        ("class", "cannot name an assignment"), ("9lives", "cannot name")]:
        assert main(["new", name, "--repo", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"new: ") and words in err and err.count("\n") == 1, err
    assert sorted(p.name for p in (tmp_path / "solutions").iterdir()) == ["taken"]
    assert main(["new", "x", "--repo", str(tmp_path / "nowhere")]) == 2
    assert "no solutions/ folder" in capsys.readouterr().err


def test_the_scaffold_names_its_assignment_everywhere_and_the_notebook_is_left_for_the_release():
    files = files_for("quiz", title="Quiz", due="2030-01-01T23:59:00+00:00")
    assert '"quiz/softplus"' in files["assignment.toml"] and 'due = "2030-01-01' in files["assignment.toml"]
    assert '@check("quiz/softplus"' in files["checks.py"] and 'A = "quiz"' in files["checks.py"]
    assert "{{ title }}" in files["notebook.ipynb.j2"]   # rendered by the release, not by new
    assert not any("{{" in text for file, text in files.items() if file.endswith(".py"))


def test_calibrate_names_a_threshold_the_reference_does_not_meet(tmp_path):
    from grader.checks.calibration import calibrate

    (tmp_path / "solutions").mkdir()
    assert calibrate(new_assignment("calib", repo=tmp_path), seeds=5) == []
    folder = new_assignment("miscalibrated", repo=tmp_path)
    path = folder / "calibration.py"
    text = path.read_text(encoding="utf-8")
    assert '"MIN_PASSED"): 1 - 1e-12' in text
    path.write_text(text.replace('"MIN_PASSED"): 1 - 1e-12', '"MIN_PASSED"): 1 + 1e-12'),
                    encoding="utf-8")
    failures = calibrate(folder, seeds=3)
    assert [f.split(":")[0] for f in failures] == [
        f"behaviours.softplus_saturates, seed {seed}" for seed in range(3)], failures
    assert all("softplus_backward passed at least 1" in f for f in failures), failures


# ------------------------------------------------------------------ docs/AUTHORING.md, literally

def test_the_doc_has_commands_and_appends_for_every_part():
    steps = doc_steps(DOC.read_text(encoding="utf-8"))
    commands = " ".join(s.text for s in steps if s.kind == "sh")
    for command in ("grader new", "release --check", "grader release", "grader grade",
                    "grader calibrate"):
        assert command in commands, command
    appended = {s.path.rsplit("/", 1)[-1] for s in steps if s.kind == "append"}
    assert appended == {"layers.py", "assignment.toml", "cases.py", "checks.py", "behaviours.py",
                        "behaviour_checks.py", "calibration.py", "notebook.ipynb.j2"}
    assert all(s.path.startswith(f"solutions/{NAME}/") for s in steps if s.kind == "append")


def test_the_doc_followed_literally_prints_what_it_says(walkthrough):
    """Every step ran (the fixture asserts each exit code); the grades it shows are the doc's."""
    doc = DOC.read_text(encoding="utf-8")
    grades = [total for out in outputs_of(walkthrough, "grader grade")
              for total in TOTAL.findall(out)]
    assert grades[:4] == [("0.00", "3.00"), ("3.00", "3.00"), ("0.00", "6.00"),
                          ("6.00", "6.00")], grades
    # the doc's planted bug: swish loses points, softplus keeps its 3
    assert len(grades) == 5 and grades[4][1] == "6.00" and 3 <= float(grades[4][0]) < 6, grades
    for said in ("`0.00/3.00`", "`3.00/3.00`", "`0.00/6.00`", "`6.00/6.00`"):
        assert said in doc
    assert "pass with the TIGHTER thresholds" in outputs_of(walkthrough, "grader calibrate")[0]
    measured = outputs_of(walkthrough, "reference_gradcheck")[0]
    assert re.findall(r"^(swish.*): worst", measured, re.M) == [
        "swish", "swish 3-D input around its minimum"]


def test_the_walkthrough_touches_only_its_assignments_folder(walkthrough):
    course = walkthrough.course
    assert tree_digest(course / "grader") == walkthrough.framework_before
    after = tree_digest(course / "solutions")
    changed = {rel for rel in set(after) | set(walkthrough.solutions_before)
               if after.get(rel) != walkthrough.solutions_before.get(rel)}
    assert changed and all(rel.startswith(f"{NAME}/") for rel in changed), sorted(changed)
    assert sorted(p.name for p in course.iterdir()) == ["assignments", "dist", "grader",
                                                         "solutions", "try"]


def test_swish_added_by_the_doc_grades_reference_full_stubs_zero_and_a_bug_on_its_own_task(
        walkthrough, tmp_path):
    course = walkthrough.course
    full = {f"{NAME}/softplus": (3.0, 3.0), f"{NAME}/swish": (3.0, 3.0)}
    assert grade_json(course, f"solutions/{NAME}") == full
    assert grade_json(course, f"assignments/{NAME}") == {task: (0.0, most)
                                                          for task, (_, most) in full.items()}
    # a planted bug of our own (the doc's drops the whole x * s * (1 - s) term): the x factor
    buggy = course / "planted"
    buggy.mkdir()
    layers = (course / "solutions" / NAME / "layers.py").read_text(encoding="utf-8")
    right = "dx = dout * (s + x * s * (1.0 - s))"
    assert layers.count(right) == 1
    (buggy / "layers.py").write_text(layers.replace(right, "dx = dout * (s + s * (1.0 - s))"),
                                     encoding="utf-8")
    graded = grade_json(course, "planted")
    assert graded[f"{NAME}/softplus"] == (3.0, 3.0)
    assert graded[f"{NAME}/swish"][0] < 3.0, graded


def test_the_released_notebook_has_the_swish_gradient_check_and_experiment(walkthrough):
    notebook = json.loads((walkthrough.course / "assignments" / NAME / f"{NAME}.ipynb")
                          .read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    assert 'gradient_check("swish_forward")' in sources
    assert 'gradient_check("softplus_forward")' in sources
    assert any(s.startswith("## Experiment: swish against softplus") for s in sources)
    assert any("layers.swish_backward(np.ones_like(x), swish_cache)" in s for s in sources)
