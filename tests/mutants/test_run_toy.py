"""Mutants graded through the batch pool, on a copy of the checks' toy assignment (cheap).

The toy's mutants are all killed by its checks; with negate's checks deleted from the copy,
negate's mutants survive and nothing else changes; the gate and the command line follow.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from grader.assignment import load_assignment
from grader.cli import main
from grader.mutants.gate import configured_min_kill_rate, shortfall
from grader.mutants.report import format_report, write_html
from grader.mutants.run import run_mutants
from grader.release.build import Build, ReleaseError
from grader.release.gates import mutant_gate

TOY = Path(__file__).resolve().parents[1] / "checks" / "toy"


def _copy(tmp_path: Path, *, drop_negate_checks: bool = False) -> Path:
    root = tmp_path / ("toy-dropped" if drop_negate_checks else "toy")
    shutil.copytree(TOY, root, ignore=shutil.ignore_patterns("__pycache__"))
    if drop_negate_checks:
        checks = (root / "checks.py").read_text()
        kept = re.split(r"\n(?=@check\()", checks)
        (root / "checks.py").write_text("\n".join(part for part in kept
                                                 if '"toy/negate"' not in part) + "\n")
    return root


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("toy")
    full = run_mutants(load_assignment(_copy(tmp)), workers=2, progress=False)
    dropped = run_mutants(load_assignment(_copy(tmp, drop_negate_checks=True)), workers=2,
                          progress=False)
    return full, dropped


def test_every_toy_mutant_is_killed_by_its_checks(reports):
    full, _ = reports
    assert full.outcomes and not full.broken_checks
    assert {o.verdict for o in full.outcomes} == {"killed"}
    assert full.kill_rate == 1.0
    assert {o.mutant.task for o in full.outcomes} == {"toy/double", "toy/negate"}
    for outcome in full.outcomes:
        assert outcome.killed_by and all(c.startswith(outcome.mutant.task.split("/")[0])
                                         for c in outcome.killed_by)


def test_deleting_a_tasks_checks_leaves_survivors_on_exactly_that_task(reports):
    full, dropped = reports
    survivors = dropped.survivors()
    assert survivors and {o.mutant.task for o in survivors} == {"toy/negate"}
    assert all(o.note == "no check calls this function" for o in survivors)
    assert dropped.kill_rate < 1.0
    killed_before = {o.mutant.id for o in full.outcomes if o.verdict == "killed"}
    assert {o.mutant.id for o in survivors} <= killed_before   # restored checks kill them
    assert dropped.by_task()["toy/double"][0] == dropped.by_task()["toy/double"][1]
    assert set(dropped.by_task()) == {"toy/double", "toy/negate"}


def test_report_shows_rates_survivors_and_diffs(reports, tmp_path):
    _, dropped = reports
    text = format_report(dropped)
    assert "toy/negate" in text and "SURVIVED" in text and "-    return -np.asarray(x)" in text
    page = write_html(dropped, tmp_path).read_text()
    assert tmp_path.joinpath("toy-mutants.html").is_file()
    assert "Kill rate per task" in page and "Kill rate per operator" in page
    assert "return -np.asarray(x)" in page and "Surviving mutants (1)" in page


def test_gate_fails_below_the_rate_and_names_the_survivors(reports, tmp_path):
    full, dropped = reports
    assert shortfall(full, 1.0) is None
    words = shortfall(dropped, 0.99)
    assert words and dropped.survivors()[0].mutant.id in words
    build = Build(assignment=load_assignment(_copy(tmp_path, drop_negate_checks=True)), repo=tmp_path)
    with pytest.raises(ReleaseError, match="mutant gate: toy: kill rate"):
        mutant_gate(build, 0.99)


def test_min_kill_rate_key_of_assignment_toml(tmp_path):
    root = _copy(tmp_path)
    assert configured_min_kill_rate(load_assignment(root)) is None
    toml = root / "assignment.toml"
    toml.write_text(toml.read_text() + "\n[mutants]\nmin_kill_rate = 0.75\n")
    assert configured_min_kill_rate(load_assignment(root)) == 0.75
    toml.write_text(toml.read_text().replace("0.75", "1.5"))
    with pytest.raises(ValueError, match="within 0..1"):
        configured_min_kill_rate(load_assignment(root))


def test_command_line_writes_the_page_and_gates(tmp_path, capsys):
    root = _copy(tmp_path, drop_negate_checks=True)
    code = main(["mutants", "--assignment", str(root), "--out", str(tmp_path / "reports"),
                 "--no-progress", "--workers", "2", "--min-kill-rate", "0.99"])
    out = capsys.readouterr()
    assert code == 1 and "kill rate" in out.err
    assert "SURVIVED" in out.out and (tmp_path / "reports" / "toy-mutants.html").is_file()


def test_release_takes_the_rate_from_the_toml_unless_the_command_line_gives_one(tmp_path):
    from grader.release.cli import _mutant_gates

    root = _copy(tmp_path, drop_negate_checks=True)
    toml = root / "assignment.toml"
    toml.write_text(toml.read_text() + "\n[mutants]\nmin_kill_rate = 0.99\n")
    build = Build(assignment=load_assignment(root), repo=tmp_path)
    with pytest.raises(ReleaseError, match="mutant gate: toy"):
        _mutant_gates([build], None)
    _mutant_gates([build], 0.5)
    assert any(note.startswith("mutant gate: kill rate") for note in build.notes)
