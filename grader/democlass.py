"""The demo class: a folder of sample submissions built from the repository's own corpora.

A demo class is the reference solution, the student stubs from the release, every correct
alternative and every buggy implementation of the bug catalogue (tests/bugs), and a few attacks
from the attack corpus (tests/attacks): what a TA meets in a real batch, with known answers.
Each student folder is named for what it holds, so the gradebook reads as its own key.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.checks.registry import import_file
from grader.runner.isolation import detect

# A handful of attacks is enough to show the sandbox at work without slowing the demo down.
DEMO_ATTACKS = ("infinite_loop", "kill_parent", "read_solutions_from___file__",
                "ndarray_subclass_fake_eq", "fork_bomb", "monkeypatch_numpy",
                "correct_then_kill_parent", "seed_numpy_globally")


@dataclass(frozen=True)
class DemoStudent:
    """One submission of the demo class: its id, what it is, and the folder it lives in."""

    student: str
    kind: str          # "reference" | "stub" | "correct" | "bug" | "attack"
    note: str
    folder: Path


def _catalogue(repo: Path):
    """Import tests/bugs/bug_catalogue.py (repository data, not part of the installed package)."""
    return import_file("_demo_bug_catalogue", repo / "tests" / "bugs" / "bug_catalogue.py")


def _copy_modules(source: Path, dest: Path, modules) -> Path:
    """Copy the assignment's student modules (`modules`, stems) found in `source` to `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for stem in modules:
        if (source / f"{stem}.py").is_file():
            shutil.copyfile(source / f"{stem}.py", dest / f"{stem}.py")
    return dest


def _fits(attack: Path, modules) -> bool:
    """An attack of the corpus fits an assignment whose modules include every module it holds."""
    return all(p.stem in modules for p in attack.glob("*.py"))


def _safe_id(text: str) -> str:
    return "".join(c if c.isalnum() or c in "_-" else "-" for c in text)


def build_demo_class(dest: Path, *, repo: Path, assignment: str,
                     released: Path | None = None, attacks: bool = True) -> list[DemoStudent]:
    """Write the demo class for `assignment` into `dest` (replacing it); return its roster.

    released: the student release of the assignment (default: repo/assignments/<assignment>),
    whose untouched stubs are one of the students. attacks: add the DEMO_ATTACKS whose verdict
    this machine's sandbox can enforce (an attack needing seccomp or Landlock is left out where
    that layer is missing) and whose files are modules of the assignment; never pass True for a
    class graded without the sandbox."""
    from grader.assignment import load_assignment

    modules = load_assignment(repo / "solutions" / assignment).modules
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    roster: list[DemoStudent] = []

    def add(kind: str, name: str, note: str) -> Path:
        student = f"s{len(roster) + 1:02d}-{_safe_id(name)}"[:60]
        roster.append(DemoStudent(student, kind, note, dest / student))
        return dest / student

    _copy_modules(repo / "solutions" / assignment, add("reference", "reference",
                                                       "the instructor's solution"), modules)
    released = released or repo / "assignments" / assignment
    if released.is_dir():
        _copy_modules(released, add("stub", "untouched-template", "the release's stubs"), modules)

    catalogue = _catalogue(repo)
    for entry in catalogue.discover():
        if entry.assignment != assignment:
            continue
        kind = "correct" if entry.correct else "bug"
        folder = add(kind, entry.path.stem, entry.summary or entry.name)
        catalogue.build_submission(entry, folder)
        (folder / "__init__.py").unlink(missing_ok=True)

    corpus = repo / "tests" / "attacks" / "corpus"
    layers = detect() if attacks else {}
    for name in DEMO_ATTACKS if attacks else ():
        source = corpus / name
        if not source.is_dir() or not _fits(source, modules):
            continue
        expected = json.loads((source / "expected.json").read_text())
        if not all(layers.get(layer) for layer in expected.get("needs", [])):
            continue
        note = expected.get("explain", name)
        folder = add("attack", name, note)
        shutil.copytree(source, folder, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("expected.json", "__pycache__"))
    return roster
