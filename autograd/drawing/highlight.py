"""Highlighting: which Values' paths to the root are coloured, which boxes and edges lie on them,
and the caption with each highlighted derivative, read off the derivation the printouts show."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

from autograd.derive.chain import explain
from autograd.derive.model import GRADIENT, UPSTREAM, Line, text_of
from autograd.drawing.names import NodeNames, minus, without_braces
from autograd.graph import count_paths, paths
from autograd.value import Value

HIGHLIGHT_COLOURS = ("#d62728", "#1f66c2", "#2a9d3a", "#8e44ad", "#e67e22", "#8c564b")
# Beyond this many nodes the caption gives the derivative without listing the chain.
_LONGEST_PATH_SEARCH = 5000


def _derivative(root: Value, source: Value, order: list[Value]) -> float:
    """∂root/∂source by a private reverse sweep (the node's .grad fields are not touched)."""
    adjoint = {id(root): 1.0}
    for v in reversed(order):
        g = adjoint.get(id(v), 0.0)
        if g == 0.0 or v is source:
            continue
        for p, d in zip(v.parents, v.partials):
            adjoint[id(p)] = adjoint.get(id(p), 0.0) + g * d
    return adjoint.get(id(source), 0.0)


def _named_factors(path, source: Value, root: Value) -> list[tuple[Value, Value, float]]:
    """A path's local partials multiplied together between named nodes: ``(upper, lower, value)``
    for ∂upper/∂lower, root first, as a course writes the chain."""
    factors = []
    lower, acc = source, 1.0
    for node, slot in path:
        acc *= node.partials[slot]
        if node.label or node is root:
            factors.append((node, lower, acc))
            lower, acc = node, 1.0
    return factors[::-1]


def caption(source, root, order, names: NodeNames, max_paths: int, numbers: bool = True,
            paths_listed: bool = False) -> list[str]:
    """The caption of one highlighted Value: its derivative as the printout derives it (factored at
    branch points), with the numbers; ``numbers=False`` keeps only the symbols; ``paths_listed``
    writes one chain product per path instead (at most ``max_paths``, the total counting them all)."""
    if not paths_listed and source is not root:
        return _derivation_caption(source, root, names, numbers)
    head = f"{names.d(root, 'd')}/{names.d(source, 'd')}"  # a total derivative: d, as the printouts write it
    total = names.number(_derivative(root, source, order))
    n = count_paths(source, root)
    if source is root:
        return [f"{head} = 1"]
    if len(order) > _LONGEST_PATH_SEARCH:
        return [f"{head} = {total}" if numbers else head,
                f"(the {len(order)}-node graph is too large to list its {n} path(s) here: draw an "
                f"intermediate node as the root to see the chain)"]

    def term(path):
        factors = _named_factors(path, source, root)
        symbols = " · ".join(f"{names.d(a)}/{names.d(b)}" for a, b, _ in factors)
        values = " · ".join(_factor_number(names, x) for _, _, x in factors)
        product = names.number(math.prod(x for _, _, x in factors))
        return symbols, values, product

    if n == 1:
        symbols, values, _ = term(next(paths(source, root)))
        if not numbers:
            return [f"{head} = {symbols}"]
        if len(symbols.split(" · ")) == 1:
            return [f"{head} = {values} = {total}" if values != total else f"{head} = {total}"]
        return [f"{head} = {symbols}", f"= {values} = {total}"]
    lines = [f"{head} = sum over {n} paths, one product per path:"]
    for k, path in enumerate(itertools.islice(paths(source, root), max_paths)):
        symbols, values, product = term(path)
        value = values if " · " not in values else f"{values} = {product}"
        lines.append(f"{'  ' if k == 0 else '+ '}{symbols}" + (f" = {value}" if numbers else ""))
    if n > max_paths:
        lines.append(f"+ … {n - max_paths} more paths not listed (max_paths={max_paths})")
    if numbers:
        lines.append(f"= {total}")
    return lines


def _derivation_caption(source: Value, root: Value, names: NodeNames, numbers: bool) -> list[str]:
    """The caption read off the derivation `explain` prints: its chain, its numbers, and each
    gradient it computes on its own (a branch point's sum), so picture and printout agree."""
    e = explain(root, source, digits=names.digits, forward=False)
    total = next(q for q in e.quantities if q.kind == GRADIENT)
    lines = [without_braces(text_of(b.pieces)) for b in e.blocks if isinstance(b, Line) and b.pieces]
    heading = lines[0]
    symbol = without_braces(total.symbol.text)
    closing = next(line for line in reversed(lines) if line.startswith(symbol + " = "))
    if not numbers:
        return [minus(heading)]
    result = minus(closing[len(symbol) + 3:])
    if " · " not in heading and " + " not in heading:  # one factor: dy/dx = ∂y/∂x = 3, on one line
        return [f"{minus(heading)} = {result}"]
    shown = [minus(heading), "= " + result]
    computed = [q for q in e.quantities if q.kind == UPSTREAM]
    if computed:
        shown.append("with " + "; ".join(f"{without_braces(q.symbol.text)} = {names.number(q.value)}" for q in computed)
                     + " (each computed once, as in the printout)")
    return shown


def _factor_number(names: NodeNames, x: float) -> str:
    text = names.number(x)
    return f"({text})" if text.startswith("−") else text


def highlight_list(highlight, index) -> list[Value]:
    if highlight is None:
        return []
    values = [highlight] if isinstance(highlight, Value) else highlight
    if not isinstance(values, Iterable) or isinstance(values, (str, bytes)):
        raise TypeError(f"highlight must be a Value or a list of Values, got {type(highlight).__name__}")
    out: list[Value] = []
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"highlight must hold Values, got {type(v).__name__}: {v!r}")
        if id(v) not in index:
            raise ValueError(f"cannot highlight {v!r}: the drawn root does not depend on it")
        if not any(v is w for w in out):
            out.append(v)
    return out


def depends_on(order: list[Value], source: Value) -> set[int]:
    on: set[int] = set()
    for v in order:
        if v is source or any(id(p) in on for p in v.parents):
            on.add(id(v))
    return on
