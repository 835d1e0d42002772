"""`make demo` end to end (into temporary folders), the demo class, and the bench report."""

import re
from collections import Counter
from pathlib import Path

from grader.bench import render
from grader.demo import format_layer_table, layer_table, run_demo
from grader.democlass import build_demo_class

REPO = Path(__file__).resolve().parents[1]


def test_every_reference_layer_passes_the_demo_table():
    rows = layer_table()
    assert rows and all(r["passed"] for r in rows)
    table = format_layer_table(rows)
    assert f"{len(rows)} of {len(rows)} reference gradients agree" in table


def test_the_demo_class_mixes_reference_stubs_correct_bugs_and_attacks(tmp_path):
    roster = build_demo_class(tmp_path / "class", repo=REPO, assignment="backprop")
    kinds = Counter(p.kind for p in roster)
    assert len(roster) >= 30
    assert kinds["reference"] == 1 and kinds["stub"] == 1
    assert kinds["correct"] >= 10 and kinds["bug"] >= 40 and kinds["attack"] >= 3
    assert len({p.student for p in roster}) == len(roster)
    for person in roster:
        assert (person.folder / "layers.py").is_file(), person.student


def test_make_demo_grades_the_class_and_writes_the_reports(tmp_path, capsys):
    assert run_demo(out_dir=tmp_path / "out", release_dir=tmp_path / "release") == 0
    printed = capsys.readouterr().out
    from grader.assignment import load_assignment
    from grader.reports.deadline import LatePolicy, is_past
    from grader.reports.grades import points_text, task_maxima
    for name in ("backprop", "rnn"):  # the grade rows' maximum now (after-due checks once due)
        spec = load_assignment(name)
        most = points_text(sum(task_maxima(spec, due_passed=is_past(LatePolicy.of(spec).due)).values()))
        # the reference at full marks, in exact decimals (27.25, not 27.2)
        assert re.search(rf"s01-reference +reference +{re.escape(most)} / {re.escape(most)} +graded",
                         printed), name
    assert "s01-reference" in printed
    assert "feedback pages:" in printed and "class overview:" in printed
    stages = [int(n) for n in re.findall(r"^== (\d+)\.", printed, re.MULTILINE)]
    assert stages == list(range(1, 9))  # numbered on, top to bottom (3-5 backprop, 6-8 rnn)
    for assignment, least in (("backprop", 30), ("rnn", 10)):
        pages = list((tmp_path / "out" / "reports" / "feedback").glob(f"{assignment}-*.html"))
        roster = list((tmp_path / "out" / "class" / assignment).iterdir())
        assert len(pages) == len(roster) >= least, assignment
        assert (tmp_path / "out" / "reports" / f"{assignment}-grades.csv").is_file()
        assert (tmp_path / "out" / "reports" / f"{assignment}-overview.html").is_file()
    assert (tmp_path / "out" / "gradebook.sqlite").is_file()


def _figures() -> dict:
    run = {"submissions": 10, "workers": 2, "seconds_per_submission": 0.25,
           "submissions_per_minute": 240.0}
    figures = {"machine": "Test CPU, 2 cores", "date": "2026-01-01 00:00 UTC", "class_size": 10,
               "sandbox_1": {**run, "workers": 1, "seconds_per_submission": 0.4},
               "sandbox_n": run, "subprocess_n": {**run, "seconds_per_submission": 0.5},
               "dask_n": {**run, "seconds_per_submission": 0.35},
               "pytest": {"submissions": 10, "median_s": 0.6},
               "overhead": {"n": 200, "bare_fork_wait_ms": 0.7, "setup_ms": 1.26,
                            "setup_ratio": 1.8, "sandboxed_child_ms": 2.1, "ratio": 3.0,
                            "unconfined_child_ms": 1.75, "layers_ratio": 1.2,
                            "end_to_end_ms": 2.9, "layers": {"seccomp": True}},
               "cold_start": [{"label": "numpy alone", "command": "python -c 'import numpy'",
                               "import_s": 0.111, "cpu_s": 0.222},
                              {"label": "grade one file (the stubs)", "command": "python -m grader",
                               "import_s": 0.333, "cpu_s": 0.444}]}
    return figures


def test_the_bench_report_carries_every_figure_and_the_machine():
    figures = _figures()
    text = render(figures)
    for needle in ("Test CPU, 2 cores", "make bench", "| 0.4 |", "0.600", "LocalCluster",
                   "| 0.35 |", "| 1.26 | 1.80x",
                   "| 2.10 | 3.00x", "| 1.75 | 2.50x", "1.20x", "within the 2x target",
                   "| numpy alone | 0.111 | 0.222 |", "| grade one file (the stubs) | 0.333 | 0.444 |"):
        assert needle in text, needle
    figures["overhead"]["setup_ratio"] = 2.4
    assert "over the 2x target" in render(figures)


def test_the_bench_runs_its_steps_in_order_and_writes_the_report(tmp_path, monkeypatch):
    """run_bench end to end with its timed measurements replaced by fixed figures: the demo
    class it builds is real, and every step is called as the measuring modules define it."""
    import grader.batch.bench
    import grader.bench
    import grader.coldstart
    import grader.runner.bench

    figures = _figures()
    seen = []

    def per_submission(class_dir, assignment, workers, **kwargs):
        seen.append((assignment, workers, kwargs))
        assert any(Path(class_dir).iterdir())
        return {"sandbox": figures["sandbox_n"], "subprocess": figures["subprocess_n"],
                "dask": figures["dask_n"]}[
            "dask" if kwargs.get("scheduler") else kwargs.get("runner_kind", "sandbox")]

    monkeypatch.setattr(grader.batch.bench, "seconds_per_submission", per_submission)
    monkeypatch.setattr(grader.bench, "pytest_per_submission", lambda class_dir: figures["pytest"])
    monkeypatch.setattr(grader.runner.bench, "sandbox_overhead", lambda n: figures["overhead"])
    monkeypatch.setattr(grader.coldstart, "cold_start", lambda repo: figures["cold_start"])
    out = tmp_path / "BENCHMARKS.md"
    got = grader.bench.run_bench(output=out, workers=2, mutants=False)
    assert got["class_size"] >= 30 and [s[1] for s in seen] == [1, 2, 2, 2]
    assert {s[0] for s in seen} == {"backprop"}
    text = out.read_text()
    assert "| numpy alone | 0.111 |" in text and "Not measured in this run" in text


def _mutants_row(**changes) -> dict:
    row = {"assignment": "a", "command": "python -m grader mutants --assignment a", "total": 10,
           "killed": 7, "survived": 1, "equivalent": 2, "kill_rate": 7 / 8, "wall_s": 12.34,
           "cpu_s": 23.45, "orphans": 3, "subreaper": True, "orphans_left": False}
    return {**row, **changes}


def test_the_bench_report_has_the_mutants_table_or_says_it_was_skipped():
    figures = _figures()
    assert "Not measured in this run (`--no-mutants`)" in render({**figures, "mutants": None})
    text = render({**figures, "mutants": [_mutants_row(), _mutants_row(assignment="b", orphans=2)]})
    assert "## Mutation testing" in text and "Not measured" not in text
    assert "| a | `python -m grader mutants --assignment a` | 10 | 7 | 2 | 1 | 87.5% |" in text
    assert "| b |" in text and "5 processes of these trees were orphaned" in text
    assert "No process of these trees was orphaned" in render(
        {**figures, "mutants": [_mutants_row(orphans=0)]})
