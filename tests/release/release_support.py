"""Helpers shared by the release tests (a unique module name: tests/ has no packages)."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.release.pipeline import assignment_names, repo_root

REPO = repo_root()
ASSIGNMENTS = assignment_names(REPO)


def copy_with_solutions(released: Path, name: str, dest: Path) -> Path:
    """A copy of the student folder of `name` (the unzipped student zip of the `released`
    fixture) with the reference modules in place of the stubs."""
    folder = dest / name
    shutil.copytree(released / "unzipped" / name, folder)
    for module in (REPO / "solutions" / name).glob("*.py"):
        if (folder / module.name).exists() and not module.name.endswith("checks.py"):
            shutil.copyfile(module, folder / module.name)
    return folder
