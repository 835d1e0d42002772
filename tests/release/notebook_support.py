"""Executing a notebook with nbclient in the venv's python3 kernel (helper for the release tests)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "python3"  # ipykernel's own spec: jupyter_client runs it with this interpreter


def execute(path: Path, *, timeout: int = 120, cwd: Path | None = None):
    """Run the notebook at `path` with its kernel in `cwd` (default: the notebook's own folder);
    return (notebook, error or None)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(cwd or path.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        return nb, error
    return nb, None


def stdout_of(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.get("name") == "stdout")


def images_of(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []))
