"""Step: the walkthrough notebook, <a>.ipynb, rendered from the assignment folder's own
`notebook.ipynb.j2` (what `python -m grader new` writes) or else templates/notebooks/<a>.ipynb.j2.
Either can include the framework's `notebooks/_setup.j2` and `notebooks/_gradchecks.j2`.

It imports the student's modules from the notebook's folder, runs each layer's gradient check
(the assignment's layer cases, its `cases.py`, shipped with the release) and the experiments of the
assignment with plots. On the stubs it stops at the first NotImplementedError, which names the
task. The layer list is computed here from the case catalogue so a new case appears without
editing the template.
"""

from __future__ import annotations

from grader.release.build import Build
from grader.release.cells import make_notebook, notebook_bytes
from grader.release.render import render, render_from

#: an assignment folder's own notebook template, used in place of templates/notebooks/<a>.ipynb.j2
FOLDER_TEMPLATE = "notebook.ipynb.j2"


def layer_sections(assignment) -> list[dict]:
    """One section per forward function with gradient-checkable cases of an `Assignment`, in
    catalogue order: {"forward", "module", "functions" (names the cases exercise), "cases"
    (case names)}."""
    sections: dict[str, dict] = {}
    for case in assignment.layer_cases():
        if case.kind == "forward":
            continue  # value-only cases need the reference, which does not ship
        section = sections.setdefault(case.forward, {"forward": case.forward, "module": case.module,
                                                     "functions": [], "cases": []})
        section["cases"].append(case.name)
        for fn in (case.forward, case.backward):
            if fn and fn not in section["functions"]:
                section["functions"].append(fn)
    return list(sections.values())


def build_notebook(build: Build) -> None:
    a = build.assignment
    values = dict(assignment=a.name, title=a.title, modules=list(a.modules),
                  sections=layer_sections(a))
    if (a.root / FOLDER_TEMPLATE).is_file():
        text = render_from(a.root, FOLDER_TEMPLATE, **values)
    else:
        text = render(f"notebooks/{a.name}.ipynb.j2", **values)
    build.files[f"{a.name}.ipynb"] = notebook_bytes(make_notebook(text, name=a.name))
