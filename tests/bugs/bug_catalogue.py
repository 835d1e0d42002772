"""The bug catalogue: realistic buggy (and correct alternative) layer implementations, as data.

Each entry is a file tests/bugs/<family>/<name>.py (correct alternatives in tests/bugs/correct/).
Its header holds literal metadata, read with `ast` (the file is never imported by the grader):

    ASSIGNMENT = "backprop"           # the assignment (solutions/<ASSIGNMENT>)
    MODULE = "layers"                 # the module whose copy gets the definitions below
    FAILS = ["backprop/sigmoid_backward"]   # tasks that MUST lose points ([] for correct ones)
    MAY_FAIL = []                     # other tasks allowed to lose points (e.g. composites
                                      # built on a wrong forward)
    DIAGNOSIS = {"backprop/sigmoid_backward": "used_output_not_input"}
                                      # a failed check of that task names this bug class
    TAGS = ["forward"]                # optional: "forward" (forward-only bug), "test_mode"
    KNOWN_GAP = "why no check catches it yet"   # optional: an expected failure of the checks,
                                      # reported as xfail until a check catches the bug

Below the header, the file defines the replacement function(s). The replacement mechanism:
the submission folder is a copy of the reference modules of the assignment, and the entry's
whole source is APPENDED to the copy of MODULE, so its definitions shadow the reference ones
(and composites in the same module, e.g. rnn_forward calling rnn_step_forward, pick them up).
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass, field
from pathlib import Path

BUGS_DIR = Path(__file__).resolve().parent
REPO = BUGS_DIR.parents[1]
_REQUIRED = ("ASSIGNMENT", "MODULE", "FAILS")


@dataclass(frozen=True)
class Entry:
    """One catalogued implementation (see the module docstring)."""

    path: Path
    family: str
    assignment: str
    module: str
    fails: tuple[str, ...]
    may_fail: tuple[str, ...] = ()
    diagnosis: dict = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    summary: str = ""
    known_gap: str = ""

    @property
    def name(self) -> str:
        return f"{self.family}/{self.path.stem}"

    @property
    def correct(self) -> bool:
        return self.family == "correct"


def parse(path: Path) -> Entry:
    """Read an entry's literal header (no import). Missing or odd metadata raises: our mistake."""
    tree = ast.parse(path.read_text(), filename=str(path))
    meta = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name) and node.targets[0].id.isupper():
            meta[node.targets[0].id] = ast.literal_eval(node.value)
    missing = [key for key in _REQUIRED if key not in meta]
    if missing:
        raise ValueError(f"{path}: catalogue entry lacks {missing}")
    family = path.parent.name
    entry = Entry(path=path, family=family, assignment=meta["ASSIGNMENT"], module=meta["MODULE"],
                  fails=tuple(meta["FAILS"]), may_fail=tuple(meta.get("MAY_FAIL", ())),
                  diagnosis=dict(meta.get("DIAGNOSIS", {})), tags=tuple(meta.get("TAGS", ())),
                  known_gap=str(meta.get("KNOWN_GAP", "")),
                  summary=(ast.get_docstring(tree) or "").strip().splitlines()[0]
                  if ast.get_docstring(tree) else "")
    if entry.correct and (entry.fails or entry.may_fail or entry.diagnosis):
        raise ValueError(f"{path}: a correct alternative cannot expect failures")
    if not entry.correct and not entry.fails:
        raise ValueError(f"{path}: a bug must name the task(s) it fails")
    if not entry.summary:
        raise ValueError(f"{path}: say in the docstring what the bug is")
    unknown = set(entry.diagnosis) - set(entry.fails)
    if unknown:
        raise ValueError(f"{path}: DIAGNOSIS for tasks not in FAILS: {sorted(unknown)}")
    return entry


def discover() -> list[Entry]:
    """Every entry under tests/bugs/<family>/, sorted by name."""
    return [parse(p) for p in sorted(BUGS_DIR.glob("*/*.py")) if not p.name.startswith("_")]


def build_submission(entry: Entry, dest: Path) -> Path:
    """A submission folder at `dest`: the reference modules, with `entry` appended to MODULE."""
    source = REPO / "solutions" / entry.assignment
    dest.mkdir(parents=True, exist_ok=True)
    for file in source.glob("*.py"):
        if file.name.endswith("checks.py"):
            continue  # check declarations are not part of a submission
        shutil.copyfile(file, dest / file.name)
    target = dest / f"{entry.module}.py"
    if not target.is_file():
        raise ValueError(f"{entry.path}: assignment {entry.assignment} has no {entry.module}.py")
    with target.open("a") as handle:
        handle.write(f"\n\n# ---- appended from the bug catalogue: {entry.name} ----\n")
        handle.write(entry.path.read_text())
    return dest
