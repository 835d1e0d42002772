"""grader/student ships to students: it may import only the standard library, numpy and the
student-safe framework modules (grader.checks.STUDENT_SAFE_MODULES, the runner client)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grader
from grader.checks import STUDENT_SAFE_MODULES

PACKAGE = Path(grader.__file__).parent
STUDENT_FILES = sorted((PACKAGE / "student").glob("*.py"))
RUNNER_CLIENT = {"grader.runner.client", "grader.runner.protocol", "grader.runner.session",
                 "grader.runner.jobdir", "grader.runner.child", "grader.runner"}


def _allowed_grader_modules() -> set[str]:
    allowed = {p.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
               for p in STUDENT_SAFE_MODULES}
    allowed |= {f"grader.student.{p.stem}" for p in STUDENT_FILES} | {"grader.student", "grader"}
    return allowed | RUNNER_CLIENT


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module


def test_student_package_imports_only_stdlib_numpy_and_student_safe_modules():
    allowed = _allowed_grader_modules()
    bad = []
    for path in STUDENT_FILES:
        for line, name in _imports(path):
            top = name.split(".")[0]
            if top == "grader":
                if name not in allowed:
                    bad.append(f"{path.name}:{line} imports {name}")
            elif top not in sys.stdlib_module_names and top not in ("numpy", "__future__"):
                bad.append(f"{path.name}:{line} imports {name}")
    assert STUDENT_FILES and not bad, bad
