"""`grade` on a class holding every attack of corpus/ (issue 11): the batch finishes, records
every student, and has no internal error (what makes the `grade` command exit 0), with the
honest classmate graded in full beside them."""

import shutil
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.batch.driver import grade_batch
from grader.batch.gradebook import Gradebook
from grader.checks.secret import DEV_SECRET

CORPUS = Path(__file__).parent / "corpus"
ATTACKS = sorted(p.name for p in CORPUS.iterdir() if (p / "layers.py").is_file())
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_batch_of_every_attack_records_every_student_and_no_internal_error(tmp_path):
    klass = tmp_path / "class"
    for name in ATTACKS:
        shutil.copytree(CORPUS / name, klass / name, ignore=shutil.ignore_patterns("expected.json"))
    honest = klass / "zz_honest_classmate"
    honest.mkdir()
    for module in ("layers.py", "layer_utils.py"):
        shutil.copyfile(REPO / "solutions" / "backprop" / module, honest / module)
    assignment = load_assignment("backprop")
    summary = grade_batch(klass, assignment=assignment, gradebook_path=tmp_path / "gb.sqlite",
                          secret=DEV_SECRET, workers=2, progress=False, work_dir=tmp_path,
                          runner_limits={"call_timeout_s": 1.0, "total_timeout_s": 8.0,
                                         "memory_bytes": 512 << 20})
    assert summary.internal_errors == 0, summary.problems
    assert summary.recorded == len(ATTACKS) + 1, summary.problems
    with Gradebook(tmp_path / "gb.sqlite") as book:
        totals = book.totals("backprop")
        assert set(totals) == set(ATTACKS) | {honest.name}
        got, most = totals[honest.name]
        assert got == most > 0  # the honest classmate keeps full marks beside the attacks
