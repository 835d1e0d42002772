"""The modules that ship to students or run next to student code import only what they may."""

import ast
import sys
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[2] / "grader" / "runner"
ALLOWED_GRADER = {
    "child.py": {"grader.runner.protocol", "grader.runner.compat"},
    "compat.py": set(),
    "cputime.py": set(),
    "protocol.py": set(),
    "session.py": {"grader.runner.protocol", "grader.runner.cputime"},
    "jobdir.py": set(),
    "client.py": {"grader", "grader.runner.jobdir", "grader.runner.protocol", "grader.runner.session"},
    "__init__.py": {"grader.runner.protocol", "grader.runner.client", "grader.runner.sandbox"},
}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", sorted(ALLOWED_GRADER))
def test_student_side_modules_use_only_stdlib_numpy_and_the_protocol(module):
    for name in imported_modules(RUNNER / module):
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top == "__future__" or top == "numpy":
            continue
        assert name in ALLOWED_GRADER[module], f"{module} imports {name}"
