"""Every task's checks add up to its points, and every task is checked in public and hidden."""

import pytest

from grader.assignment import load_assignment
from grader.checks.registry import collect, points_by_task

ASSIGNMENTS = ["backprop", "rnn"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_check_points_add_up_to_each_tasks_points(name):
    assignment = load_assignment(name)
    points = points_by_task(collect(assignment))
    wrong = {t.id: (t.points, points.get(t.id, 0.0)) for t in assignment.tasks
             if abs(points.get(t.id, 0.0) - t.points) > 1e-9}
    assert not wrong, f"task: (points in assignment.toml, sum of its checks' points): {wrong}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_task_has_a_visible_and_a_hidden_check(name):
    assignment = load_assignment(name)
    specs = collect(assignment)
    for task in assignment.tasks:
        kinds = {s.visibility for s in specs if s.task == task.id}
        if not task.functions:  # a network of the student's layers: behavioural checks only
            assert kinds and kinds <= {"hidden", "after_due_date"}, task.id
            continue
        assert "visible" in kinds and "hidden" in kinds, task.id
