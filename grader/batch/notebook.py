"""A submitted notebook becomes the assignment's modules (nbgrader's `submitted/` tree holds
notebooks, not modules).

The nbgrader course of the release (`dist/nbgrader/`) puts the modules' code in cells that share
one namespace: the given code of each module, one cell per function (the student's solution
cells among them), and autograded test cells. The code the student is graded on is every code
cell nbgrader marks as part of the assignment but not as a test: solution cells and locked
given cells, minus the set-up cell. Cells the student added (no nbgrader metadata) are
scratch work and are left out, as are IPython magics and shell escapes.

Since the notebook is one namespace, each module the assignment lists gets that same code, so
`layers.affine_forward` and `layer_utils.affine_relu_forward` both resolve as they did in the
notebook. The notebook is only read as JSON here; nothing in it runs in the grader.
"""

from __future__ import annotations

import json

SETUP_CELL = "setup"


class NotebookError(ValueError):
    """A notebook that cannot be read as an nbgrader notebook; str(exc) is for the student."""


def graded_code(data: bytes, *, name: str) -> str:
    """The graded code of a notebook (see the module docstring), as one Python source."""
    try:
        notebook = json.loads(data.decode("utf-8"))
        cells = notebook["cells"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise NotebookError(f"{name} is not a readable notebook ({type(exc).__name__})") from None
    parts = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = (cell.get("metadata") or {}).get("nbgrader")
        if not isinstance(meta, dict) or meta.get("grade") or meta.get("grade_id") == SETUP_CELL:
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        lines = [f"# (not run by the grader) {line}" if line.lstrip().startswith(("%", "!"))
                 else line for line in source.splitlines()]
        parts.append("\n".join(lines))
    if not parts:
        raise NotebookError(f"{name} has no graded code cells (no nbgrader solution or given "
                            "cells): was it made from this course's notebook?")
    return "\n\n\n".join(parts) + "\n"


def modules_from_notebook(data: bytes, *, name: str, modules: tuple[str, ...]) -> dict[str, bytes]:
    """{"<module>.py": source bytes} for every module of the assignment, from one notebook."""
    code = graded_code(data, name=name).encode("utf-8")
    return {f"{stem}.py": code for stem in modules}
