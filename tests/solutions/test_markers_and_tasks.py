"""The reference modules as release material: marker regions, tasks and docstrings agree.

Stripping each module with grader.markers must leave importable stubs in which every task's
function raises NotImplementedError while keeping its return statement (and a forward's cache
layout) outside the region; assignment.toml lists exactly the functions with regions.
"""

import ast
import copy
import importlib
import importlib.util
import sys

import numpy as np
import pytest

from grader.assignment import load_assignment
from grader.markers import SOLUTION, default_task, find_regions, read_source, strip

ASSIGNMENTS = ("backprop", "rnn")


def _marked_functions(assignment):
    out = set()
    for stem in assignment.modules:
        source = read_source(assignment.root / f"{stem}.py")
        out |= {f"{stem}.{r.function}" for r in find_regions(source) if r.kind == SOLUTION}
    return out


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_tasks_are_exactly_the_marked_functions_one_each(name):
    assignment = load_assignment(name)
    # a task of no function (a network of the student's own layers) is graded by behaviours
    tasks = [t for t in assignment.tasks if t.functions]
    listed = [f for t in tasks for f in t.functions]
    assert len(listed) == len(set(listed)) == len(tasks)
    assert set(listed) == _marked_functions(assignment)
    assert all(1 <= t.points <= 3 for t in tasks)
    assert all(0 < t.points <= 3 for t in assignment.tasks)
    assert all(t.id == f"{name}/{t.functions[0].split('.')[1]}" for t in tasks)


def _load_stubs(assignment, tmp_path):
    package = f"_stubs_{assignment.name}"
    folder = tmp_path / assignment.name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for stem in assignment.modules:
        source = read_source(assignment.root / f"{stem}.py")
        (folder / f"{stem}.py").write_text(strip(source, task_for=default_task(assignment.name)))
    spec = importlib.util.spec_from_file_location(package, folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    pkg = importlib.util.module_from_spec(spec)
    sys.modules[package] = pkg
    spec.loader.exec_module(pkg)
    return {stem: importlib.import_module(f"{package}.{stem}") for stem in assignment.modules}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_stripped_modules_import_and_every_task_raises_not_implemented(name, tmp_path):
    """Each stub is called as the grader would: forwards with a case's inputs, backwards with a
    cache from the reference forward (so the stub's cache unpacking must match the layout)."""
    assignment = load_assignment(name)
    stubs = _load_stubs(assignment, tmp_path)
    raised = set()
    try:
        for case in assignment.layer_cases():
            ref = assignment.reference_module(case.module)
            stub = stubs[case.module]
            args, kwargs = case.make_inputs(np.random.default_rng(0))
            with pytest.raises(NotImplementedError, match=f"task {name}/{case.forward}"):
                getattr(stub, case.forward)(*copy.deepcopy(args), **kwargs)
            raised.add(f"{case.module}.{case.forward}")
            if case.kind == "layer":
                result = getattr(ref, case.forward)(*copy.deepcopy(args), **kwargs)
                douts = [np.ones_like(o) for o in result[:case.outputs]]
                with pytest.raises(NotImplementedError, match=f"task {name}/{case.backward}"):
                    getattr(stub, case.backward)(*douts, result[case.cache_index])
                raised.add(f"{case.module}.{case.backward}")
        if name == "rnn":
            with pytest.raises(NotImplementedError, match="task rnn/clip_grad_norm"):
                stubs["rnn_layers"].clip_grad_norm({"w": np.ones(3)}, 1.0)
            raised.add("rnn_layers.clip_grad_norm")
        assert raised == {f for t in assignment.tasks for f in t.functions}
    finally:
        for key in [k for k in sys.modules if k.startswith(f"_stubs_{name}")]:
            del sys.modules[key]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_stubs_keep_the_return_and_the_forward_cache_layout(name):
    assignment = load_assignment(name)
    for stem in assignment.modules:
        source = read_source(assignment.root / f"{stem}.py")
        tree = ast.parse(strip(source, task_for=default_task(name)))
        marked = {r.function for r in find_regions(source) if r.kind == SOLUTION}
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and node.name in marked):
                continue
            assert isinstance(node.body[-1], ast.Return), f"{node.name}: return inside the region"
            returned = ast.unparse(node.body[-1].value)
            if "cache" in returned:
                assigned = {t.id for n in ast.walk(node) if isinstance(n, ast.Assign)
                            for t in n.targets if isinstance(t, ast.Name)}
                assert "cache" in assigned, f"{node.name}: cache layout inside the region"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_public_function_documents_inputs_returns_and_shapes(name):
    assignment = load_assignment(name)
    for stem, module in assignment.reference_modules().items():
        for fname in dir(module):
            fn = getattr(module, fname)
            if fname.startswith("_") or not callable(fn) or fn.__module__ != module.__name__:
                continue
            doc = fn.__doc__ or ""
            assert "Inputs:" in doc and "Returns" in doc and "shape" in doc, f"{stem}.{fname}"
