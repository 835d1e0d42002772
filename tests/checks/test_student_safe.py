"""The modules a student release vendors import nothing but the standard library, numpy and
each other (plus the gradient toolkit and the runner's client side), and hold no secret."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.checks import STUDENT_SAFE_MODULES

ROOT = Path(__file__).resolve().parents[2]
#: What the student release ships besides STUDENT_SAFE_MODULES (owned by other packages).
SHIPPED_ALONGSIDE = ("grader/__init__.py", "grader/gradcheck.py", "grader/runner/__init__.py",
                     "grader/runner/protocol.py", "grader/runner/client.py",
                     "grader/runner/child.py", "grader/runner/session.py",
                     "grader/runner/jobdir.py", "grader/runner/cputime.py")

BLOCKER = r'''
import importlib.abc, json, sys
allowed = set(json.loads(sys.argv[1]))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top == "grader":
            if name not in allowed:
                raise ImportError(f"student-safe code imported {name}")
        elif top not in sys.stdlib_module_names and top != "numpy":
            raise ImportError(f"student-safe code imported {name}")
        return None
sys.meta_path.insert(0, Block())
import importlib
for module in json.loads(sys.argv[2]):
    importlib.import_module(module)
print("ok")
'''


def _module_name(path: str) -> str:
    name = path[:-3].replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def test_student_safe_modules_import_only_stdlib_numpy_and_each_other():
    allowed = [_module_name(p) for p in STUDENT_SAFE_MODULES + SHIPPED_ALONGSIDE]
    targets = [_module_name(p) for p in STUDENT_SAFE_MODULES]
    done = subprocess.run([sys.executable, "-c", BLOCKER, json.dumps(allowed), json.dumps(targets)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.mark.parametrize("path", [p for p in STUDENT_SAFE_MODULES if p.startswith("grader/checks/")])
def test_student_safe_check_modules_hold_no_secret_and_load_no_reference(path):
    source = (ROOT / path).read_text()
    for word in ("hmac", "DEV_SECRET", "GRADER_SECRET", "reference_module", "load_assignment"):
        assert word not in source, f"{path} mentions {word}"


@pytest.mark.parametrize("assignment", ["backprop", "rnn"])
def test_the_public_checks_import_only_student_safe_modules(assignment):
    """checks.py, and the assignment's own modules it imports relatively (which ship with it),
    import only student-safe framework modules."""
    safe = {_module_name(p) for p in STUDENT_SAFE_MODULES}
    todo, seen = ["checks"], set()
    while todo:
        stem = todo.pop()
        seen.add(stem)
        tree = ast.parse((ROOT / "solutions" / assignment / f"{stem}.py").read_text())
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                assert (ROOT / "solutions" / assignment / f"{node.module}.py").is_file(), node.module
                if node.module not in seen:
                    todo.append(node.module)
            elif isinstance(node, ast.ImportFrom):
                assert node.module in safe | {"__future__", "grader.gradcheck", "grader.runner.protocol"}, node.module
            elif isinstance(node, ast.Import):
                assert all(alias.name in safe | {"numpy", "copy"} for alias in node.names)
