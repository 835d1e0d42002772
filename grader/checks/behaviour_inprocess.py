"""An in-process Runner over modules we trust (the reference, test doubles): for calibration only.

`InProcessRunner({"layers": module, ...})` implements the Runner protocol of
docs/ARCHITECTURE.md without a child process, so behavioural thresholds can be calibrated over
hundreds of seeds against the reference in milliseconds. It mimics what crosses the boundary:
array arguments are copied (a callee mutating its input does not change the caller's array),
returned arrays are copied, `keep=` replaces returned elements by `Handle`s, and dict arguments
are updated in place with the callee's changes (as the real runner sends them back).

Never give it student code: student code runs only in the sandboxed child.
"""

from __future__ import annotations

import copy
from types import ModuleType
from typing import Any, Mapping

import numpy as np

from grader.runner.protocol import Handle


def _copy_in(value: Any, handles: dict[int, Any]) -> Any:
    if isinstance(value, Handle):
        return handles[value.id]
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copy_in(v, handles) for v in value]
    if isinstance(value, tuple):
        return tuple(_copy_in(v, handles) for v in value)
    if isinstance(value, dict):
        return {k: _copy_in(v, handles) for k, v in value.items()}
    return value


class InProcessRunner:
    """The Runner protocol over trusted modules, in this process; see the module docstring."""

    def __init__(self, modules: Mapping[str, ModuleType]):
        self._modules = dict(modules)
        self._handles: dict[int, Any] = {}
        self.calls = 0  # round trips a real runner would make

    def _run(self, module: str, function: str, args, kwargs, keep) -> Any:
        fn = getattr(self._modules[module], function)
        call_args = [_copy_in(a, self._handles) for a in args]
        call_kwargs = {k: _copy_in(v, self._handles) for k, v in kwargs.items()}
        result = fn(*call_args, **call_kwargs)
        # dicts mutated in place come back to the caller's dict (the runner's contract)
        for sent, original in zip(call_args + list(call_kwargs.values()),
                                  list(args) + list(kwargs.values())):
            if isinstance(original, dict) and isinstance(sent, dict):
                original.clear()
                original.update(copy.deepcopy(sent))
        if not keep:
            return copy.deepcopy(result)
        if keep == (-1,):
            return self._keep(result)
        items = list(result)
        for index in keep:
            items[index] = self._keep(items[index])
        return tuple(copy.deepcopy(v) if not isinstance(v, Handle) else v for v in items)

    def _keep(self, value: Any) -> Handle:
        handle = Handle(len(self._handles) + 1)
        self._handles[handle.id] = value
        return handle

    def call(self, module: str, function: str, *args, keep: tuple[int, ...] = (), **kwargs) -> Any:
        self.calls += 1
        return self._run(module, function, args, kwargs, tuple(keep))

    def call_many(self, calls) -> list[Any]:
        """Calls with attributes module, function, args, kwargs, keep (one round trip)."""
        self.calls += 1
        return [self._run(c.module, c.function, tuple(c.args), dict(c.kwargs or {}),
                          tuple(c.keep or ())) for c in calls]

    def close(self) -> None:
        self._handles.clear()


def load_trusted_folder(folder, stems, package: str) -> dict[str, ModuleType]:
    """Import the modules `stems` of `folder` as the package `package` (relative imports work).

    For calibration and tests only: a folder we wrote (the reference, or the reference with a
    catalogued bug substituted), never a student's submission.
    """
    import importlib.util
    import sys
    from pathlib import Path

    folder = Path(folder).resolve()
    root = importlib.util.spec_from_file_location(
        package, folder / "__init__.py", submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(root)
    sys.modules[package] = module
    if (folder / "__init__.py").is_file():
        root.loader.exec_module(module)
    loaded = {}
    for stem in stems:
        spec = importlib.util.spec_from_file_location(f"{package}.{stem}", folder / f"{stem}.py")
        sub = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = sub
        spec.loader.exec_module(sub)
        loaded[stem] = sub
    return loaded
