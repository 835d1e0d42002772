"""Assignment metadata loads from a name, a folder or a toml; reference modules import as a
package so relative imports work."""

from pathlib import Path

import pytest

from checks_support import TOY
from grader.assignment import find_solutions_root, load_assignment

ROOT = Path(__file__).resolve().parents[2]


def test_an_assignment_loads_by_name_folder_or_toml_alike():
    by_name = load_assignment("backprop")
    assert load_assignment(ROOT / "solutions" / "backprop") == by_name
    assert load_assignment(ROOT / "solutions" / "backprop" / "assignment.toml") == by_name
    assert by_name.modules == ("layers", "layer_utils")
    assert by_name.task("backprop/affine_backward").functions == ("layers.affine_backward",)
    assert by_name.due is not None and by_name.due.tzinfo is not None
    assert by_name.checks[0] == "checks"


def test_reference_modules_import_as_a_package_with_relative_imports():
    backprop = load_assignment("backprop")
    utils = backprop.reference_module("layer_utils")
    assert utils.__name__ == "_reference_backprop.layer_utils"
    assert utils.affine_forward is backprop.reference_module("layers").affine_forward


def test_the_solutions_root_can_be_overridden(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_SOLUTIONS", str(TOY.parent))
    assert find_solutions_root() == TOY.parent.resolve()
    assert load_assignment("toy").name == "toy"
    monkeypatch.setenv("GRADER_SOLUTIONS", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError):
        find_solutions_root()


def test_a_task_naming_an_unknown_module_is_refused(tmp_path):
    (tmp_path / "assignment.toml").write_text(
        '[assignment]\nname = "x"\nmodules = ["a"]\n\n'
        '[[tasks]]\nid = "x/f"\npoints = 1\nfunctions = ["b.f"]\n')
    with pytest.raises(ValueError, match="b.f"):
        load_assignment(tmp_path)
