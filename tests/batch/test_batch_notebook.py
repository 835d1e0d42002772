"""nbgrader's submitted/ tree holds notebooks: the batch grades their graded code cells."""

import json
from pathlib import Path

import pytest

from grader.batch.driver import grade_batch
from grader.batch.gradebook import Gradebook
from grader.batch.notebook import NotebookError, graded_code
from grader.checks.secret import DEV_SECRET
from grader.checks.scoring import score
from grader.release import build_assignment


@pytest.fixture(scope="module")
def course_notebook() -> dict:
    """The nbgrader course's source notebook of backprop (solutions filled in)."""
    build = build_assignment("backprop", gates=False)
    return json.loads(build.dist["nbgrader/source/backprop/backprop.ipynb"])


def submit(root: Path, student: str, notebook: dict) -> None:
    folder = root / "submitted" / student / "backprop"
    folder.mkdir(parents=True)
    (folder / "backprop.ipynb").write_text(json.dumps(notebook))
    (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")


def cell(notebook: dict, grade_id: str) -> dict:
    return next(c for c in notebook["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def test_notebooks_in_the_nbgrader_tree_are_graded_on_their_code_cells(tmp_path, course_notebook):
    right = json.loads(json.dumps(course_notebook))
    # scratch work the student added, and a magic in a graded cell, change nothing
    right["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [],
                           "execution_count": None, "source": "while True:\n    pass\n"})
    cell(right, "affine_forward")["source"] = "%time\n" + "".join(cell(right, "affine_forward")["source"])
    wrong = json.loads(json.dumps(course_notebook))
    source = "".join(cell(wrong, "affine_backward")["source"])
    assert "x.reshape(x.shape[0], -1).T @ dout" in source
    cell(wrong, "affine_backward")["source"] = source.replace(
        "x.reshape(x.shape[0], -1).T @ dout", "(x.reshape(x.shape[0], -1).T @ dout).T")
    submit(tmp_path, "alice", right)
    submit(tmp_path, "bob", wrong)
    book_path = tmp_path / "gradebook.sqlite"
    summary = grade_batch(tmp_path, assignment="backprop", gradebook_path=book_path,
                          secret=DEV_SECRET, workers=1, progress=False)
    assert summary.graded == 2
    with Gradebook(book_path) as book:
        totals = book.totals("backprop")
        bob = book.latest("backprop", "bob")
    assert totals["alice"] == (51.0, 51.0)
    lost = {task for task, (got, most) in score(bob.checks).items() if got < most}
    assert "backprop/affine_backward" in lost and "backprop/affine_forward" not in lost
    assert bob.submitted_at.startswith("2026-12-01T10:00:00")


def test_only_graded_cells_count_and_a_broken_notebook_says_why(course_notebook):
    code = graded_code(json.dumps(course_notebook).encode(), name="backprop.ipynb")
    assert "def affine_backward(dout, cache):" in code and "_grade(" not in code
    with pytest.raises(NotebookError, match="not a readable notebook"):
        graded_code(b"{not json", name="backprop.ipynb")
    with pytest.raises(NotebookError, match="no graded code cells"):
        graded_code(json.dumps({"cells": [{"cell_type": "code", "metadata": {},
                                           "source": "x = 1"}]}).encode(), name="x.ipynb")
