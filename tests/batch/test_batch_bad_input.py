"""Every bad input becomes a per-student result with a clear message; the batch never crashes
and nothing outside the job folders changes. Cases are enumerated from bad_inputs.all_cases()."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from bad_inputs import ESCAPE_NAMES, all_cases
from batch_fakes import FakeAssignment, fake_grade
from batch_helpers import tree_digest
from grader.batch.driver import grade_batch
from grader.batch.gradebook import Gradebook

CASES = all_cases()


def _student(index: int, name: str) -> str:
    return f"s{index:02d}_{name}"


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    submissions = root / "submissions"
    submissions.mkdir()
    work = root / "work"
    work.mkdir()
    for index, item in enumerate(CASES):
        item.build(submissions, _student(index, item.name))
    gradebook = tmp_path_factory.mktemp("gradebook") / "gradebook.sqlite"
    before = tree_digest(root)
    summary = grade_batch(submissions, assignment=FakeAssignment(), gradebook_path=gradebook,
                          secret="test-secret", workers=2, runner_kind=None, grade_fn=fake_grade,
                          progress=False, work_dir=work)
    after = tree_digest(root)
    return summary, gradebook, before, after, work


def test_bad_inputs_finish_the_batch_with_one_result_each(bad_batch):
    summary, gradebook, *_ = bad_batch
    expected_errors = sum(c.status == "error" for c in CASES)
    assert summary.discovered == len(CASES)
    assert (summary.errors, summary.graded, summary.internal_errors) == (
        expected_errors, len(CASES) - expected_errors, 0)
    with Gradebook(gradebook) as book:
        assert sorted(book.totals("fake")) == sorted(_student(i, c.name) for i, c in enumerate(CASES))


def test_bad_inputs_write_nothing_outside_the_job_folders(bad_batch):
    _, _, before, after, work = bad_batch
    assert after == before
    assert list(work.iterdir()) == []  # the job folders are gone too
    places = {Path(tempfile.gettempdir()), *work.parents}
    leaked = [p / n for p in places for n in ESCAPE_NAMES if (p / n).exists()]
    assert leaked == []


@pytest.mark.parametrize("index,item", list(enumerate(CASES)), ids=[c.name for c in CASES])
def test_bad_input_gets_its_status_and_a_clear_message(bad_batch, index, item):
    _, gradebook, *_ = bad_batch
    with Gradebook(gradebook) as book:
        result = book.latest("fake", _student(index, item.name))
        score, most = book.totals("fake")[_student(index, item.name)]
    assert result.status == item.status, result.message
    assert re.search(item.message, result.message), result.message
    assert most == 10.0
    if item.status == "error":
        assert result.checks == [] and score == 0
    if item.score is not None:
        assert score == item.score
