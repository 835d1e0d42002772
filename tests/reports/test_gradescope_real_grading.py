"""Gradescope results.json from real grading (not synthetic results): the reference solutions
score full marks, the stubs (solutions with every solution region stripped) score zero."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from grader.checks.grade import grade_submission
from grader.markers import default_task, read_source, strip
from grader.reports.gradescope import results_json
from grader.runner.client import StudentProcess

SCHEMA = json.loads(Path(__file__).with_name("gradescope_schema.json").read_text())


def _grade(folder: Path, assignment, student: str):
    return grade_submission(folder, assignment=assignment, student_id=student,
                            secret=b"tests/reports: not a course secret",
                            runner_factory=StudentProcess)


@pytest.fixture(scope="module")
def stub_folder(tmp_path_factory, assignment) -> Path:
    folder = tmp_path_factory.mktemp("stub")
    for stem in assignment.modules:
        path = assignment.root / f"{stem}.py"
        (folder / path.name).write_text(strip(read_source(path), task_for=default_task(assignment.name),
                                              filename=str(path)))
    return folder


def test_reference_scores_full_marks_and_stub_zero(assignment, stub_folder):
    from synthetic import AFTER_DUE  # after the due date every check counts
    reference = results_json(_grade(assignment.root, assignment, "reference"), assignment,
                             now=AFTER_DUE)
    stub = results_json(_grade(stub_folder, assignment, "stub"), assignment, now=AFTER_DUE)
    for document in (reference, stub):
        jsonschema.validate(document, SCHEMA)
    assert reference["score"] == pytest.approx(assignment.points)
    assert sum(t["max_score"] for t in reference["tests"]) == pytest.approx(assignment.points)
    assert all(t["status"] == "passed" for t in reference["tests"])
    assert stub["score"] == 0 and stub["tests"]
    assert all(t["status"] == "failed" and t["score"] == 0 for t in stub["tests"])


def test_really_graded_hidden_checks_leak_no_message_number_or_source_line(assignment, tmp_path):
    """A buggy submission graded for real: the hidden checks' own messages (which may quote
    inputs) and their source lines appear in neither the feedback page nor results.json."""
    import html
    import inspect

    from synthetic import AFTER_DUE

    from grader.checks.registry import collect
    from grader.reports.feedback import render_feedback

    source = (assignment.root / "layers.py").read_text()
    (tmp_path / "layers.py").write_text(
        source + "\n\ndef sigmoid_backward(dout, cache):\n    return dout * cache  # used the output\n")
    (tmp_path / "layer_utils.py").write_text((assignment.root / "layer_utils.py").read_text())
    result = _grade(tmp_path, assignment, "leaky")
    hidden = [c for c in result.checks if c.visibility != "visible" and c.status != "passed"]
    assert hidden, "the planted bug must fail some hidden check"
    pages = [html.unescape(render_feedback(result, assignment, now=AFTER_DUE)),
             json.dumps(results_json(result, assignment), ensure_ascii=False)]
    code_lines = {line.strip() for spec in collect(assignment) if spec.visibility != "visible"
                  for line in inspect.getsource(spec.function).splitlines()
                  if len(line.split()) >= 3 and not line.strip().startswith(("@", "#", '"'))}
    assert code_lines and all(c.message for c in hidden)
    for text in pages:
        assert not [c.message for c in hidden if c.message in text]
        assert not [line for line in code_lines if line in text]
