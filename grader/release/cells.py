"""Turning rendered templates into notebook cells.

A notebook template renders to "percent" text: each cell starts with a header line
`%% code` or `%% markdown`, optionally followed by `key=value` words that become nbgrader
metadata (`%% code solution id=affine_forward`, `%% code grade id=test_affine points=2`,
`%% markdown locked id=intro`). Cell ids are derived from the notebook name and the cell's
position, so the same template gives the same notebook bytes.
"""

from __future__ import annotations

import re

import nbformat
from nbformat import v4

_HEADER = re.compile(r"^%% (code|markdown)((?: [\w=./-]+)*)\s*$")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def parse_cells(text: str) -> list[tuple[str, dict, str]]:
    """(cell type, header options, source) for each cell of a rendered template."""
    cells: list[tuple[str, dict, list[str]]] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            options = {}
            for word in match.group(2).split():
                key, _, value = word.partition("=")
                options[key] = value if value else True
            cells.append((match.group(1), options, []))
        elif cells:
            cells[-1][2].append(line)
        elif line.strip():
            raise ValueError(f"text before the first cell header: {line!r}")
    return [(kind, options, "\n".join(lines).strip("\n")) for kind, options, lines in cells]


def _nbgrader_metadata(options: dict, points_default: float = 0) -> dict | None:
    roles = {"solution", "grade", "locked"} & set(options)
    if not roles:
        return None
    meta = {"grade": "grade" in options, "grade_id": options["id"],
            "locked": "locked" in options or "grade" in options,
            "schema_version": 3, "solution": "solution" in options, "task": False}
    if "grade" in options:
        meta["points"] = float(options.get("points", points_default))
    return meta


def make_notebook(text: str, *, name: str) -> nbformat.NotebookNode:
    """A v4 notebook from rendered percent text; nbgrader options become cell metadata."""
    nb = v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC),
                   "language_info": {"name": "python", "pygments_lexer": "ipython3"}}
    for index, (kind, options, source) in enumerate(parse_cells(text)):
        cell = v4.new_code_cell(source) if kind == "code" else v4.new_markdown_cell(source)
        cell.id = f"{name}-{index:03d}"
        meta = _nbgrader_metadata(options)
        if meta is not None:
            cell.metadata["nbgrader"] = meta
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    return (nbformat.writes(nb, version=4) + "\n").encode("utf-8")
