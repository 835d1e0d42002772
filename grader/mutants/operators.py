"""Mutation operators for numpy backprop code, on the stdlib syntax tree.

Each operator is a function ``op(node, scope) -> iterable of Edit``: for one node of a solution
region it proposes replacements of a node's exact source span (`Edit.node`) by new source text.
`grader.mutants.generate` splices the text into the module at the node's position, so the rest
of the file stays byte-for-byte the instructor's, and keeps only mutants that parse and differ.

The operators model the faults students make in this code (issue 15), not generic ones:
swapped operands, a dropped or added transpose, a changed reduction axis or keepdims, a
removed or swapped sum / mean, `+=` to `=` (and `=` to `+=`, `np.add.at` to fancy `+=`), a
flipped sign, a changed constant (a scale like 1/N dropped, 0.5 doubled, eps dropped or moved
out of the sqrt), a swapped cache element, a comparison flipped (`>` to `>=`), an off-by-one
slice or range bound and an ignored stride, one spatial dimension used for the other
(`H_out` for `W_out`), and a mask applied to the wrong array.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator


@dataclass(frozen=True)
class Edit:
    """Replace the source span of `node` by `text`; `what` says it in words ("`+` -> `-`")."""

    node: ast.AST
    text: str
    what: str


@dataclass
class Scope:
    """What an operator may know of the function holding the region."""

    params: tuple[str, ...]
    names: frozenset[str]           # every name bound or read in the function
    arrays: tuple[str, ...] = ()    # parameters and names unpacked from a cache: likely arrays
    parents: dict = field(default_factory=dict)  # id(child node) -> parent node


def src(node: ast.AST) -> str:
    return ast.unparse(node)


def _edit(node: ast.AST, new: ast.AST, what: str) -> Edit:
    """The edit putting `new` in place of `node` (generate adds parentheses where needed)."""
    return Edit(node, src(new), what)


def _call_name(node: ast.AST) -> str | None:
    """'sum' for np.sum(...), x.sum(...), sum(...); None for other nodes."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def _is_np(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in ("np", "numpy")


def _num(value) -> ast.Constant:
    return ast.Constant(value)


# --- swapped operands --------------------------------------------------------------------
_ORDERED = (ast.Sub, ast.Div, ast.MatMult, ast.Pow, ast.FloorDiv, ast.Mod)
_ORDERED_CALLS = ("dot", "matmul", "outer", "subtract", "divide", "tensordot", "power", "kron")


def swap_operands(node, scope) -> Iterator[Edit]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, _ORDERED):
        new = ast.BinOp(node.right, node.op, node.left)
        yield _edit(node, new, f"operands of `{src(node)}` swapped")
    name = _call_name(node)
    if name in _ORDERED_CALLS and len(node.args) >= 2 and not any(
            isinstance(a, ast.Starred) for a in node.args[:2]):
        new = copy.copy(node)
        new.args = [node.args[1], node.args[0], *node.args[2:]]
        yield _edit(node, new, f"arguments of `{name}` swapped")
    if name == "where" and len(node.args) == 3:
        new = copy.copy(node)
        new.args = [node.args[0], node.args[2], node.args[1]]
        yield _edit(node, new, "the two branches of `where` swapped")


# --- transpose ---------------------------------------------------------------------------
def transpose(node, scope) -> Iterator[Edit]:
    if isinstance(node, ast.Attribute) and node.attr == "T" and isinstance(node.ctx, ast.Load):
        yield _edit(node, node.value, f"transpose dropped from `{src(node)}`")
    if _call_name(node) == "transpose" and isinstance(node.func, ast.Attribute):
        target = node.args[0] if _is_np(node.func.value) and node.args else node.func.value
        yield _edit(node, target, f"transpose dropped from `{src(node)}`")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        for side in ("left", "right"):
            operand = getattr(node, side)
            if isinstance(operand, ast.Attribute) and operand.attr == "T":
                continue
            new = copy.copy(node)
            setattr(new, side, ast.Attribute(operand, "T", ast.Load()))
            yield _edit(node, new, f"transpose added to the {side} operand of `{src(node)}`")


# --- reductions --------------------------------------------------------------------------
_REDUCTIONS = ("sum", "mean", "max", "min", "var", "std", "argmax", "argmin", "prod")


def _other_axes(value: ast.AST) -> list[ast.AST]:
    if isinstance(value, ast.Constant) and isinstance(value.value, int):
        return [_num({0: 1, 1: 0}.get(value.value, 0))]
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        return [_num(0)]
    if isinstance(value, ast.Tuple) and len(value.elts) > 1:
        return [ast.Tuple(value.elts[1:], ast.Load()), ast.Tuple(value.elts[:-1], ast.Load())]
    return []


def reduction_axis(node, scope) -> Iterator[Edit]:
    if not isinstance(node, ast.Call) or _call_name(node) not in _REDUCTIONS + ("concatenate",):
        return
    for i, keyword in enumerate(node.keywords):
        if keyword.arg == "axis":
            for axis in _other_axes(keyword.value):
                new = copy.copy(node)
                new.keywords = [*node.keywords[:i], ast.keyword("axis", axis), *node.keywords[i + 1:]]
                yield _edit(node, new, f"reduction axis {src(keyword.value)} -> {src(axis)}")
            if _call_name(node) != "concatenate":
                new = copy.copy(node)
                new.keywords = [k for k in node.keywords if k is not keyword]
                yield _edit(node, new, f"axis={src(keyword.value)} dropped (reduce over all)")
        if keyword.arg == "keepdims":
            new = copy.copy(node)
            new.keywords = [k for k in node.keywords if k is not keyword]
            yield _edit(node, new, "keepdims dropped")


def reduction(node, scope) -> Iterator[Edit]:
    name = _call_name(node)
    if name not in ("sum", "mean") or not isinstance(node.func, ast.Attribute):
        return
    method = not _is_np(node.func.value)
    if method or node.args:
        operand = node.func.value if method else node.args[0]
        yield _edit(node, operand, f"`{name}` removed from `{src(node)}`")
    swapped = copy.deepcopy(node)
    swapped.func.attr = "mean" if name == "sum" else "sum"
    yield _edit(node, swapped, f"`{name}` -> `{swapped.func.attr}`")


# --- accumulate --------------------------------------------------------------------------
def accumulate(node, scope) -> Iterator[Edit]:
    if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
        new = ast.Assign([node.target], node.value, lineno=0)
        yield _edit(node, new, f"`{src(node)}` overwrites instead of accumulating")
    if (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Subscript)):
        new = ast.AugAssign(node.targets[0], ast.Add(), node.value)
        yield _edit(node, new, f"`{src(node)}` accumulates instead of overwriting")
    if (isinstance(node, ast.Expr) and _call_name(node.value) == "at" and len(node.value.args) == 3
            and isinstance(node.value.func.value, ast.Attribute)
            and node.value.func.value.attr == "add"):
        array, index, value = node.value.args
        new = ast.AugAssign(ast.Subscript(array, index, ast.Store()), ast.Add(), value)
        yield _edit(node, new, "np.add.at -> fancy-index `+=` (repeated indices count once)")


# --- sign --------------------------------------------------------------------------------
def sign(node, scope) -> Iterator[Edit]:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield _edit(node, node.operand, f"minus dropped from `{src(node)}`")
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        yield _edit(node, ast.BinOp(node.left, op, node.right),
                    f"`{src(node)}`: {'+ -> -' if isinstance(op, ast.Sub) else '- -> +'}")
    if (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name) and node.targets[0].id.startswith("d")):
        new = ast.Assign(node.targets, ast.UnaryOp(ast.USub(), node.value), lineno=0)
        yield _edit(node, new, f"sign of {node.targets[0].id} flipped")


# --- constants and scales ----------------------------------------------------------------
def _is_eps(node) -> bool:
    return isinstance(node, ast.Name) and "eps" in node.id.lower()


def constant(node, scope) -> Iterator[Edit]:
    if (isinstance(node, ast.Constant) and isinstance(node.value, float)
            and node.value not in (0.0,)):
        yield _edit(node, _num(node.value * 2), f"constant {node.value!r} doubled")
    if (isinstance(node, ast.Constant) and type(node.value) is int and node.value in (0, 1, 2)
            and not isinstance(scope.parents.get(id(node)), (ast.Slice, ast.Subscript,
                                                             ast.keyword, ast.Tuple, ast.UnaryOp))):
        # (not the 1 of a -1: in a reshape -2 means "infer" as -1 does, an equivalent mutant)
        yield _edit(node, _num(node.value + 1), f"constant {node.value} -> {node.value + 1}")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        if not (isinstance(node.right, ast.Constant) and node.right.value == 1):
            yield _edit(node, node.left, f"division by {src(node.right)} dropped")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for keep, scale in ((node.left, node.right), (node.right, node.left)):
            if isinstance(scale, ast.Constant) and isinstance(scale.value, (int, float)):
                yield _edit(node, keep, f"factor {src(scale)} dropped")
    if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Div, ast.Mult)):
        yield Edit(node, "pass", f"`{src(node)}` dropped")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        for keep, eps in ((node.left, node.right), (node.right, node.left)):
            if _is_eps(eps):
                yield _edit(node, keep, f"{eps.id} dropped from `{src(node)}`")
    if (_call_name(node) == "sqrt" and len(node.args) == 1 and isinstance(node.args[0], ast.BinOp)
            and isinstance(node.args[0].op, ast.Add) and _is_eps(node.args[0].right)):
        inner = copy.copy(node)
        inner.args = [node.args[0].left]
        new = ast.BinOp(inner, ast.Add(), node.args[0].right)
        yield _edit(node, new, f"{node.args[0].right.id} moved out of the sqrt")


# --- cache ---------------------------------------------------------------------------------
def cache_swap(node, scope) -> Iterator[Edit]:
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Tuple) and "cache" in src(node.value)):
        return
    names = node.targets[0].elts
    for i in range(len(names) - 1):
        swapped = [*names[:i], names[i + 1], names[i], *names[i + 2:]]
        new = ast.Tuple(swapped, ast.Store())
        yield Edit(node.targets[0], src(new)[1:-1] if src(new).startswith("(") else src(new),
                   f"cache elements {src(names[i])} and {src(names[i + 1])} swapped")


# --- comparisons ---------------------------------------------------------------------------
_FLIPPED = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
            ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
_SYMBOL = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!="}


def comparison(node, scope) -> Iterator[Edit]:
    if not isinstance(node, ast.Compare):
        return
    for i, op in enumerate(node.ops):
        flipped = _FLIPPED.get(type(op))
        if flipped is None:
            continue
        new = copy.copy(node)
        new.ops = [*node.ops[:i], flipped(), *node.ops[i + 1:]]
        yield _edit(node, new, f"`{_SYMBOL[type(op)]}` -> `{_SYMBOL[flipped]}`")


# --- off by one, stride --------------------------------------------------------------------
def _plus(node, k: int) -> ast.AST:
    return ast.BinOp(node, ast.Add() if k > 0 else ast.Sub(), _num(abs(k)))


def off_by_one(node, scope) -> Iterator[Edit]:
    if isinstance(node, ast.Slice):
        if node.upper is not None:
            for k in (1, -1):
                yield _edit(node.upper, _plus(node.upper, k),
                            f"slice end `{src(node.upper)}` {'+' if k > 0 else '-'} 1")
        if node.lower is not None:
            yield _edit(node.lower, _plus(node.lower, 1), f"slice start `{src(node.lower)}` + 1")
    if _call_name(node) == "range" and isinstance(node.func, ast.Name) and node.args:
        stop = node.args[0] if len(node.args) == 1 else node.args[1]
        for k in (1, -1):
            yield _edit(stop, _plus(stop, k), f"range end `{src(stop)}` {'+' if k > 0 else '-'} 1")
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.FloorDiv)):
        for side in ("left", "right"):
            operand = getattr(node, side)
            if isinstance(operand, ast.Name) and "stride" in operand.id:
                yield _edit(node, getattr(node, "right" if side == "left" else "left"),
                            f"stride ignored in `{src(node)}`")


# --- dimensions ----------------------------------------------------------------------------
_DIM = str.maketrans({"h": "w", "w": "h", "H": "W", "W": "H"})


def dimension_swap(node, scope) -> Iterator[Edit]:
    """A name used for its other spatial dimension: H_out for W_out, HH for WW, hs for ws."""
    if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
        return
    other = node.id.translate(_DIM)
    if other != node.id and other in scope.names:
        yield Edit(node, other, f"`{node.id}` -> `{other}`")


# --- masks ---------------------------------------------------------------------------------
def _is_mask(node) -> bool:
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.Name):
        return any(w in node.id.lower() for w in ("mask", "negative", "positive", "keep"))
    if isinstance(node, ast.Call) and _call_name(node) == "astype" and isinstance(node.func, ast.Attribute):
        return _is_mask(node.func.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
        return True
    return False


def mask_target(node, scope) -> Iterator[Edit]:
    """The mask multiplies (or selects) the wrong array: another parameter or cached array."""
    targets = []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        if _is_mask(node.right) and isinstance(node.left, ast.Name):
            targets.append(node.left)
        if _is_mask(node.left) and isinstance(node.right, ast.Name):
            targets.append(node.right)
    if _call_name(node) == "where" and len(node.args) == 3 and _is_mask(node.args[0]):
        targets.extend(a for a in node.args[1:] if isinstance(a, ast.Name))
    for target in targets:
        for other in [a for a in scope.arrays if a != target.id][:3]:
            yield Edit(target, other, f"mask applied to `{other}` instead of `{target.id}`")


OPERATORS: dict[str, Callable[[ast.AST, Scope], Iterable[Edit]]] = {
    "swap_operands": swap_operands,
    "transpose": transpose,
    "reduction_axis": reduction_axis,
    "reduction": reduction,
    "accumulate": accumulate,
    "sign": sign,
    "constant": constant,
    "cache_swap": cache_swap,
    "comparison": comparison,
    "off_by_one": off_by_one,
    "dimension_swap": dimension_swap,
    "mask_target": mask_target,
}
