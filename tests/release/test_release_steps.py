"""Small steps on their own: README, check entry, expected values, metadata, pipeline order."""

from __future__ import annotations

import ast
import io

import pytest

from grader.checks.context import load_public_expected
from grader.release import entry, expected
from grader.release.build import Build, ReleaseError
from grader.release.pipeline import STEPS

from release_support import ASSIGNMENTS, REPO


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_readme_lists_every_task_with_its_points_and_the_total(builds, name):
    build = builds[name]
    readme = build.files["README.md"].decode()
    for task in build.assignment.tasks:
        assert f"| `{task.id}` | {task.title} | {task.points:g} |" in readme
    assert f"({build.assignment.points:g} points)" in readme
    assert "python -m grader check" in readme or "python check.py" in readme


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_metadata_ships_the_assignment_toml_unchanged_then_the_public_check_points(builds, name):
    from grader.assignment import tomllib
    from grader.checks.derived import is_derived
    from grader.checks.registry import collect

    shipped = builds[name].files["assignment.toml"]
    source = (REPO / "solutions" / name / "assignment.toml").read_bytes()
    assert shipped.startswith(source.rstrip(b"\n") + b"\n")
    table = tomllib.loads(shipped.decode())["public_check_points"]
    derived = {s.id: s.points for s in collect(builds[name].assignment)
               if s.visibility == "visible" and is_derived(s)}
    assert table == derived and derived
    assert not set(table) & set(builds[name].hidden_checks)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_public_expected_values_belong_to_visible_checks_only(builds, name):
    build = builds[name]
    values = load_public_expected(io.BytesIO(build.files["public_expected.npz"]))
    assert values
    hidden = set(build.hidden_checks)
    assert not {key.split("::", 1)[0] for key in values} & hidden


def test_expected_value_of_a_hidden_check_stops_the_release(builds, monkeypatch):
    build = builds[ASSIGNMENTS[0]]
    hidden = build.hidden_checks[0]
    monkeypatch.setattr(expected, "_recorder", lambda: lambda a: {f"{hidden}::x": 1.0})
    copy = Build(assignment=build.assignment, repo=build.repo, hidden_checks=list(build.hidden_checks))
    with pytest.raises(ReleaseError, match=f"belongs to a hidden check"):
        expected.record_expected(copy)


def test_check_entry_is_rendered_when_the_student_commands_are_absent(builds):
    build = builds[ASSIGNMENTS[0]]
    files = {k: v for k, v in build.files.items() if not k.startswith("grader/student/")}
    copy = Build(assignment=build.assignment, repo=build.repo, files=files)
    entry.add_check_entry(copy)
    source = copy.files["check.py"].decode()
    ast.parse(source)
    for task in build.assignment.tasks:
        assert f'"{task.id}"' in source


def test_check_entry_is_the_student_cli_when_it_is_vendored(builds):
    build = builds[ASSIGNMENTS[0]]
    assert entry.STUDENT_CLI in build.files and "check.py" not in build.files


def test_secrets_are_collected_before_any_step_writes_files():
    names = [name for name, _ in STEPS]
    assert names[0] == "collect secrets"
    assert names.index("vendor framework") < names.index("add check entry") < names.index("render README")
    assert names.index("filter checks") < names.index("record public expected values")
    assert names.index("pack student zip") > max(names.index(n) for n in (
        "strip modules", "filter checks", "vendor framework", "render README", "build notebook"))


def test_templates_refuse_a_missing_variable():
    import jinja2

    from grader.release.render import render

    with pytest.raises(jinja2.UndefinedError):
        render("README.md.j2", name="x")
