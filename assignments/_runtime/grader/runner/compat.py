"""What the child does so that code written for CS231n's skeleton and older numpy runs as meant.

Runs in the child, next to student code; imports only the standard library and numpy.

- numpy-1 aliases (`np.int`, `np.float`, `np.object`, `np.product`, `np.alltrue`, ...), removed
  in numpy 2, are put back before the submission is imported (`install_numpy1_aliases`); the
  grader tells the student which names to modernise (grader.checks.files scans the source).
- `reshape(newshape=...)` (a keyword numpy 2 no longer takes) is rewritten to the positional
  form when a submission module is compiled (`SubmissionLoader`).
- The skeleton's module names resolve to the submission's own modules: `cs231n.layers`, a bare
  `layers`, `from .layers import *` (the package itself). `past.builtins` (xrange, ...) gets a
  small stand-in when the `future` package is not installed. A skeleton module the course does
  not provide (`cs231n.im2col`, `cs231n.fast_layers`) becomes a placeholder that fails only
  where it is used, with a message naming it (`PLACEHOLDER_WORDS`), and so does any other
  module that is not installed (scipy, matplotlib) when a statement at the top level of a
  submission file imports it; imported anywhere else (inside try, if or a function, where the
  student decided what a failed import means) it fails as Python would.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types
import warnings

#: Removed numpy-1 names and what they meant (attribute of builtins or of numpy).
NUMPY1_ALIASES = {
    "int": ("builtins", "int"), "float": ("builtins", "float"), "bool": ("builtins", "bool"),
    "object": ("builtins", "object"), "complex": ("builtins", "complex"),
    "str": ("builtins", "str"), "long": ("builtins", "int"), "unicode": ("builtins", "str"),
    "product": ("numpy", "prod"), "cumproduct": ("numpy", "cumprod"),
    "alltrue": ("numpy", "all"), "sometrue": ("numpy", "any"), "round_": ("numpy", "round"),
    "float_": ("numpy", "float64"), "complex_": ("numpy", "complex128"),
    "NaN": ("numpy", "nan"), "NAN": ("numpy", "nan"), "Inf": ("numpy", "inf"),
    "Infinity": ("numpy", "inf"), "infty": ("numpy", "inf"), "PINF": ("numpy", "inf"),
}

SKELETON_PACKAGE = "cs231n"
PLACEHOLDER_WORDS = "is not part of this course's files"


def install_numpy1_aliases(np_module) -> list[str]:
    """Set each removed alias numpy lacks; returns the names installed. `np.bool` exists again
    in numpy 2 (as numpy's bool type) and is left as it is."""
    installed = []
    for name, (where, target) in NUMPY1_ALIASES.items():
        if name in vars(np_module):
            continue
        try:
            with warnings.catch_warnings():  # numpy's FutureWarning would reach the student's stderr
                warnings.simplefilter("ignore")
                getattr(np_module, name)
            continue  # still provided (perhaps with a deprecation warning)
        except AttributeError:
            pass
        except Exception:  # noqa: BLE001 - e.g. a FutureWarning turned into an error
            pass
        source = builtins if where == "builtins" else np_module
        setattr(np_module, name, getattr(source, target))
        installed.append(name)
    if "asscalar" not in vars(np_module) and not hasattr(np_module, "asscalar"):
        np_module.asscalar = lambda a: np_module.asarray(a).item()
        installed.append("asscalar")
    return installed


class _NewshapeToPositional(ast.NodeTransformer):
    """x.reshape(newshape=s) and np.reshape(x, newshape=s) -> the positional form."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name != "reshape":
            return node
        for keyword in list(node.keywords):
            if keyword.arg == "newshape":
                node.keywords.remove(keyword)
                node.args.append(keyword.value)
        return node


def compile_submission(source: bytes | str, path: str):
    """Compile a submission module, with reshape(newshape=...) made positional."""
    tree = ast.parse(source, filename=path)
    tree = ast.fix_missing_locations(_NewshapeToPositional().visit(tree))
    return compile(tree, path, "exec", dont_inherit=True)


class SubmissionLoader(importlib.machinery.SourceFileLoader):
    """Loads a submission module through `compile_submission`."""

    def source_to_code(self, data, path, *, _optimize=-1):  # noqa: D401 - importlib's hook
        return compile_submission(data, path)


class _Existing(importlib.abc.Loader):
    """A loader whose module already exists (an alias of a submission module)."""

    def __init__(self, make):
        self._make = make

    def create_module(self, spec):
        return self._make()

    def exec_module(self, module):
        pass


class _Unavailable:
    """A name taken from a placeholder module: any use of it (a call, an item, an attribute's
    use) raises ModuleNotFoundError naming the module, so the student reads why."""

    __slots__ = ("_module", "_name")

    def __init__(self, module: str, name: str):
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_name", name)

    def _fail(self, *args, **kwargs):
        raise ModuleNotFoundError(f"{self._module} {PLACEHOLDER_WORDS}: {self._name} cannot be used")

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Unavailable(self._module, f"{self._name}.{attr}")

    __call__ = __getitem__ = __setitem__ = __delitem__ = __setattr__ = __iter__ = _fail
    __bool__ = __len__ = __index__ = __int__ = __float__ = _fail

    def __repr__(self) -> str:
        return f"<{self._name} from {self._module}, {PLACEHOLDER_WORDS}>"


def placeholder(name: str) -> types.ModuleType:
    """A stand-in for a module the course does not provide: importing it works, `import *`
    brings nothing, and any name taken from it fails when used, naming the module."""
    module = types.ModuleType(name)
    module.__all__ = []
    module.__path__ = []  # so submodules (cs231n.classifiers.fc_net) resolve the same way

    def __getattr__(attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Unavailable(name, attr)

    module.__getattr__ = __getattr__
    return module


def _past_builtins() -> types.ModuleType:
    module = types.ModuleType("past.builtins")
    module.xrange, module.basestring, module.unicode = range, str, str
    module.long, module.raw_input = int, input
    module.__all__ = ["xrange", "basestring", "unicode", "long", "raw_input"]
    return module


class SubmissionFinder(importlib.abc.MetaPathFinder):
    """Resolves submission modules (compiled by SubmissionLoader) and the skeleton's names.

    `package`: the package the submission folder is loaded as; `root`: that folder."""

    def __init__(self, package: str, root: str):
        self.package, self.root = package, root
        self.placeholders: list[str] = []
        self._top_imports: dict[str, list[tuple[int, int]]] = {}
        self._unavailable: set[str] = set()

    def _file(self, parts: list[str]) -> str | None:
        path = os.path.join(self.root, *parts) + ".py"
        return path if all(p.isidentifier() for p in parts) and os.path.isfile(path) else None

    def _importer(self):
        """The frame of the import statement being run (the first outside importlib)."""
        frame = sys._getframe(3)
        while frame is not None and frame.f_code.co_filename.startswith("<frozen"):
            frame = frame.f_back
        return frame

    def _from_submission(self) -> bool:
        """True when the import statement being run is in a submission file."""
        frame = self._importer()
        return frame is not None and self._in_root(frame.f_code.co_filename)

    def _in_root(self, filename: str) -> bool:
        return os.path.realpath(filename).startswith(self.root + os.sep)

    def _unguarded(self) -> bool:
        """True when the import statement being run is a statement of a submission file's top
        level (not inside a try, an if or a function, where the student chose what happens)."""
        frame = self._importer()
        if frame is None or frame.f_code.co_name != "<module>":
            return False
        filename = frame.f_code.co_filename
        if not self._in_root(filename):
            return False
        if filename not in self._top_imports:
            try:
                with open(filename, "rb") as handle:
                    tree = ast.parse(handle.read())
            except (OSError, SyntaxError, ValueError):
                tree = ast.Module(body=[], type_ignores=[])
            self._top_imports[filename] = [
                (node.lineno, node.end_lineno or node.lineno) for node in tree.body
                if isinstance(node, (ast.Import, ast.ImportFrom))
                and not getattr(node, "level", 0)]
        return any(a <= frame.f_lineno <= b for a, b in self._top_imports[filename])

    def _alias(self, fullname: str, target: str):
        return importlib.util.spec_from_loader(
            fullname, _Existing(lambda: importlib.import_module(target)))

    def _placeholder(self, fullname: str):
        self.placeholders.append(fullname)
        return importlib.util.spec_from_loader(fullname, _Existing(lambda: placeholder(fullname)),
                                               is_package=True)

    def find_spec(self, fullname, path=None, target=None):
        parts = fullname.split(".")
        if parts[0] == self.package and len(parts) > 1:
            file = self._file(parts[1:])
            if file is None:
                return None
            return importlib.util.spec_from_file_location(
                fullname, file, loader=SubmissionLoader(fullname, file))
        if parts[0] == SKELETON_PACKAGE:
            if len(parts) == 1:
                return importlib.util.spec_from_loader(
                    fullname, _Existing(lambda: _skeleton_package()), is_package=True)
            if self._file(parts[1:]):
                return self._alias(fullname, ".".join([self.package] + parts[1:]))
            return self._placeholder(fullname)
        if fullname == "past.builtins" and not _installed("past"):
            return importlib.util.spec_from_loader(fullname, _Existing(_past_builtins))
        if fullname == "past" and not _installed("past"):
            return importlib.util.spec_from_loader(
                fullname, _Existing(lambda: _empty_package("past")), is_package=True)
        if len(parts) == 1 and self._file(parts) and self._from_submission():
            return self._alias(fullname, f"{self.package}.{fullname}")  # `from layers import *`
        if parts[0] in self._unavailable:
            return self._placeholder(fullname)  # scipy.special, once scipy is a placeholder
        if len(parts) == 1 and not _installed(fullname) and self._unguarded():
            # a module nobody installed for the course (scipy, matplotlib): the file still
            # imports, and only the functions that use it fail, naming it
            self._unavailable.add(fullname)
            return self._placeholder(fullname)
        return None


def _installed(name: str) -> bool:
    return any(f.find_spec(name, None) is not None for f in sys.meta_path
               if not isinstance(f, SubmissionFinder))


def _empty_package(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__path__ = []
    return module


def _skeleton_package() -> types.ModuleType:
    return _empty_package(SKELETON_PACKAGE)


def install_finders(package: str, root: str) -> SubmissionFinder:
    """Put the submission's finder first on sys.meta_path."""
    finder = SubmissionFinder(package, root)
    sys.meta_path.insert(0, finder)
    return finder


def python2_words(exc: BaseException) -> str:
    """'; this file is written in Python 2...' for the SyntaxErrors Python 2 code raises, else ''."""
    if not isinstance(exc, SyntaxError):
        return ""
    text = str(getattr(exc, "msg", "") or "")
    line = str(getattr(exc, "text", "") or "").strip()
    if ("Missing parentheses in call to 'print'" in text or "Missing parentheses in call to 'exec'" in text
            or line.startswith("print ") or (line.startswith("except ") and "," in line)):
        return ("; this file is written in Python 2 (print statements, `except E, e`); the grader "
                "runs Python 3: write print(...) and `except E as e`")
    return ""
