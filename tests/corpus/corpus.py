"""The realistic corpus: student-style submissions, as data, each with its expected verdicts.

Each entry is a file tests/corpus/<assignment>/<name>.py (graded as the assignment's first
module, e.g. layers.py) or a folder tests/corpus/<assignment>/<name>/ holding module files.
The entry's main file starts with comment lines naming what must happen:

    # CORRECT: all                  every task whose functions the entry defines scores full
    # WRONG: affine_backward        these tasks must lose points (and no other task may)
    # ZERO: all | relu_forward ...  these tasks (all: every task) must score exactly 0
    # FILE_ERROR: yes               the file does not import: one message for the file
    # NOTE: ...                     the style the entry stands for (free text)

A task is "covered" by an entry when the entry defines every function of the task (top-level
`def`s, read with `ast`; the file is never imported here). The task of no function
(backprop/network_learns) is covered when the entry defines the layers the network is made of.
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.assignment import load_assignment

CORPUS = Path(__file__).resolve().parent
#: The layers behaviour_learning.two_layer_net composes (the network_learns task).
NETWORK = {"affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss"}
KEYS = ("CORRECT", "WRONG", "ZERO", "FILE_ERROR", "NOTE")


@dataclass(frozen=True)
class Entry:
    path: Path
    assignment: str
    header: dict

    @property
    def name(self) -> str:
        return f"{self.assignment}/{self.path.stem}"

    @property
    def main_file(self) -> Path:
        if self.path.is_dir():
            module = load_assignment(self.assignment).modules[0]
            return self.path / f"{module}.py"
        return self.path

    def tasks(self, key: str) -> set[str]:
        words = self.header.get(key, "").split()
        if words == ["all"]:
            return {t.id for t in load_assignment(self.assignment).tasks}
        return {f"{self.assignment}/{w}" for w in words}

    @property
    def file_error(self) -> bool:
        return self.header.get("FILE_ERROR", "").strip() == "yes"

    def defined(self) -> set[str]:
        names = set()
        files = sorted(self.path.glob("*.py")) if self.path.is_dir() else [self.path]
        for file in files:
            try:
                tree = ast.parse(file.read_text())
            except SyntaxError:
                continue
            names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        return names

    def covered(self) -> set[str]:
        defined = self.defined()
        covered = set()
        for task in load_assignment(self.assignment).tasks:
            names = {f.split(".", 1)[1] for f in task.functions} or NETWORK
            if names <= defined:
                covered.add(task.id)
        return covered

    def build(self, dest: Path) -> Path:
        """The submission folder: the entry's file as the assignment's first module, or a copy
        of the entry's folder."""
        if self.path.is_dir():
            shutil.copytree(self.path, dest)
        else:
            dest.mkdir(parents=True)
            module = load_assignment(self.assignment).modules[0]
            shutil.copyfile(self.path, dest / f"{module}.py")
        return dest


def parse_header(path: Path) -> dict:
    header = {}
    for line in path.read_text(errors="replace").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        if key in KEYS:
            header[key] = value.strip()
    if not header.keys() & {"CORRECT", "WRONG", "ZERO", "FILE_ERROR"}:
        raise ValueError(f"{path}: no CORRECT / WRONG / ZERO / FILE_ERROR line in its header")
    return header


def discover() -> list[Entry]:
    entries = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_")):
        if folder.name == "__pycache__":
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(("_", ".")) or path.name == "__pycache__":
                continue
            entry = Entry(path, folder.name, {})
            if path.is_file() and path.suffix != ".py":
                continue
            entries.append(Entry(path, folder.name, parse_header(entry.main_file)))
    return entries
