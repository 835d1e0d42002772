"""`grade` on a class holding every attack of corpus/ (issue 11), run as a TA runs it:
`python -m grader grade <folder> --assignment backprop ...` in a subprocess, then
`python -m grader export --format csv`. The command exits 0 (no internal error), the gradebook
and the CSV hold every student, each attack's result says in words what happened, and the
honest classmate is graded in full beside them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.batch.gradebook import Gradebook
from grader.checks.secret import DEV_SECRET
from grader.reports.csv_export import read_csv
from grader.reports.grades import grade_row

CORPUS = Path(__file__).parent / "corpus"
ATTACKS = sorted(p.name for p in CORPUS.iterdir() if (p / "layers.py").is_file())
REPO = Path(__file__).resolve().parents[2]
#: the student's budgets, small so the loops and bombs are stopped quickly
BUDGETS = ["--call-cpu", "1", "--submission-cpu", "8", "--memory-mb", "512"]


def grader_command(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.slow
def test_the_grade_command_on_every_attack_exits_0_and_records_every_student(tmp_path):
    klass = tmp_path / "class"
    for name in ATTACKS:
        shutil.copytree(CORPUS / name, klass / name, ignore=shutil.ignore_patterns("expected.json"))
    honest = klass / "zz_honest_classmate"
    honest.mkdir()
    for module in ("layers.py", "layer_utils.py"):
        shutil.copyfile(REPO / "solutions" / "backprop" / module, honest / module)
    secret = tmp_path / "secret.txt"
    secret.write_text(DEV_SECRET)
    book_path = tmp_path / "gb.sqlite"

    done = grader_command("grade", str(klass), "--assignment", "backprop", "--gradebook",
                          str(book_path), "--workers", "2", "--secret-file", str(secret),
                          "--no-progress", *BUDGETS, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stdout

    students = set(ATTACKS) | {honest.name}
    with Gradebook(book_path) as book:
        assert set(book.totals("backprop")) == students
        for name in ATTACKS:
            result = book.latest("backprop", name)
            assert result.status != "graded" or result.checks, name
            assert result.status == "graded" or result.message, (name, result.status)
            for row in book.check_rows("backprop", name):
                assert row["message"], (name, row)
        got, most = book.totals("backprop")[honest.name]
        assert got == most > 0  # the honest classmate keeps full marks beside the attacks
        # the CSV counts what counts today (after-due-date checks only after the due date)
        full = grade_row(book.latest("backprop", honest.name), load_assignment("backprop"))

    out = tmp_path / "export"
    exported = grader_command("export", "--format", "csv", "--assignment", "backprop",
                              "--gradebook", str(book_path), "--out", str(out), timeout=300)
    assert exported.returncode == 0, exported.stderr
    rows = read_csv(out / "backprop-grades.csv")
    assert set(rows) == students
    assert all(row["status"] for row in rows.values())
    assert float(rows[honest.name]["total"]) == full.max_total > 0
