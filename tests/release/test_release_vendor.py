"""Vendoring: the release carries the framework modules its public checks need, and no more."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from grader.release.build import ReleaseError
from grader.release.vendor import ALLOWED_TOP_LEVEL, NEVER_VENDOR, student_safe_closure

from release_support import ASSIGNMENTS, REPO


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_vendored_modules_import_only_stdlib_numpy_and_each_other(builds, name):
    files = builds[name].files
    vendored = {rel for rel in files if rel.startswith("grader/")}
    assert "grader/runner/child.py" in vendored and "grader/checks/spec.py" in vendored
    for rel in vendored:
        assert not any(rel == bad or rel.startswith(bad + "/") for bad in NEVER_VENDOR), rel
        for node in ast.walk(ast.parse(files[rel])):
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] in ALLOWED_TOP_LEVEL for a in node.names), rel


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_public_checks_import_from_the_release_alone(released, name):
    """With only the release folder on the path (no repo, no solutions), the checks import."""
    folder = released(name) / "unzipped" / name
    code = ("import sys; sys.path[:0] = [sys.argv[1]]; import grader, pathlib;"
            "assert pathlib.Path(grader.__file__).resolve().is_relative_to(pathlib.Path(sys.argv[1]).resolve()), grader.__file__;"
            "from grader.student.check import public_specs; from grader.student.layout import read_layout;"
            "specs = public_specs(read_layout(sys.argv[1]));"
            "assert specs and all(s.visibility == 'visible' for s in specs); print(len(specs))")
    done = subprocess.run([sys.executable, "-I", "-c", code, str(folder), name],
                          capture_output=True, text=True, cwd=folder, timeout=600)
    assert done.returncode == 0, done.stderr
    from grader.assignment import load_assignment
    from grader.checks.registry import collect

    visible = [s for s in collect(load_assignment(name)) if s.visibility == "visible"]
    assert int(done.stdout) == len(visible) > 0  # the derived ones too


def _fake_repo(tmp_path, imports: str):
    for rel in ("grader/__init__.py", "grader/__main__.py", "grader/cli.py", "grader/gradcheck.py",
                "grader/runner/__init__.py", "grader/runner/child.py", "grader/checks/__init__.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    (tmp_path / "grader/checks/spec.py").write_text(imports)
    return tmp_path


def test_module_reaching_a_never_vendor_module_is_an_error(tmp_path, monkeypatch):
    repo = _fake_repo(tmp_path, "from grader.checks import secret\n")
    (repo / "grader/checks/secret.py").write_text("KEY = 1\n")
    monkeypatch.setattr("grader.release.vendor.STUDENT_SAFE_MODULES", ("grader/checks/spec.py",))
    with pytest.raises(ReleaseError, match="grader/checks/secret.py must never ship"):
        student_safe_closure(repo)


def test_module_importing_a_third_party_package_is_an_error_naming_the_line(tmp_path, monkeypatch):
    repo = _fake_repo(tmp_path, "import os\nimport scipy.linalg\n")
    monkeypatch.setattr("grader.release.vendor.STUDENT_SAFE_MODULES", ("grader/checks/spec.py",))
    with pytest.raises(ReleaseError, match=r"grader/checks/spec.py:2: imports scipy.linalg"):
        student_safe_closure(repo)
