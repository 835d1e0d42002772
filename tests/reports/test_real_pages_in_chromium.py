"""Really graded pages in headless Chromium: a correct student, a buggy one (sigmoid_backward
without its local gradient) and one whose layers.py does not import, plus the class overview.
Each loads offline without errors; the buggy page marks its gap on the plot, the import error
page shows one banner and no plot. Screenshots go to $GRADER_SCREENSHOTS when set (to look at)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import browser
from grader.batch.gradebook import Gradebook
from grader.checks.grade import grade_submission
from grader.checks.scoring import total
from grader.runner.client import StudentProcess

SECRET = b"tests/reports: not a course secret"


@pytest.fixture(scope="module")
def chromium():
    path, why = browser.find_or_install()
    if path is None:
        pytest.skip(f"headless Chromium unavailable: {why}")
    return path


@pytest.fixture(scope="module")
def real_reports(tmp_path_factory, assignment):
    from synthetic import AFTER_DUE

    from grader.reports import write_reports
    root = tmp_path_factory.mktemp("real")
    folders = {}
    for student in ("correct", "buggy", "noimport"):
        folder = root / "subs" / student
        folder.mkdir(parents=True)
        for stem in assignment.modules:
            shutil.copy(assignment.root / f"{stem}.py", folder / f"{stem}.py")
        folders[student] = folder
    layers = folders["buggy"] / "layers.py"
    layers.write_text(layers.read_text() + "\n\ndef sigmoid_backward(dout, cache):\n"
                      "    return dout  # forgot the local gradient s(1-s)\n")
    (folders["noimport"] / "layers.py").write_text("def affine_forward(x, w, b:\n    pass\n")
    book = root / "gradebook.sqlite"
    with Gradebook(book) as gradebook:
        for student, folder in folders.items():
            result = grade_submission(folder, assignment=assignment, student_id=student,
                                      secret=SECRET, runner_factory=StudentProcess)
            result.submitted_at = "2026-12-10T10:00:00+00:00"
            got, most = total(result.checks)
            gradebook.record(result, score=got, max_score=most)
    return write_reports(assignment=assignment, gradebook_path=book, out_dir=root / "out",
                         now=AFTER_DUE)


@pytest.mark.parametrize("page", ["correct", "buggy", "noimport", "overview"])
def test_real_pages_load_and_show_what_is_wrong(chromium, real_reports, tmp_path, page):
    path = (real_reports["overview"] if page == "overview"
            else real_reports["feedback"] / f"backprop-{page}.html")
    loaded = browser.load(chromium, path, tmp_path)
    assert loaded.console_errors == [] and loaded.page_requests == []
    dom = loaded.dom
    if page == "correct":
        assert "<svg" in dom and "where yours differs" not in dom and 'id="problem"' not in dom
    if page == "buggy":
        figure = dom.split('id="plot-sigmoid_depth"', 1)[1].split("</figure>", 1)[0]
        assert "where yours differs" in figure and "Your curve differs" in figure
    if page == "noimport":
        assert 'id="problem"' in dom and "did not import" in dom
        assert dom.count("SyntaxError") == 1 and 'id="plot-' not in dom
    if page == "overview":
        for student in ("correct", "buggy", "noimport"):
            assert f'href="feedback/backprop-{student}.html"' in dom
        assert "did not import" in dom
    keep = os.environ.get("GRADER_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(loaded.screenshot, Path(keep) / f"{page}.png")
