"""`local_partial`: one local factor ∂top/∂bottom between two shown nodes of a graph, with its formula
and its number — what a sheet asks for when it asks "what is dŷ/dα²?" on the way to a chain."""

from __future__ import annotations

from autograd.derive.accumulate import collapsed_edges
from autograd.derive.document import Explanation
from autograd.derive.formula import as_number, derivative
from autograd.derive.model import LOCAL, Equations, Quantity
from autograd.derive.terms import factor_formula
from autograd.derive.view import GraphView, validate
from autograd.value import Value


def local_partial(root: Value, top: Value, bottom: Value, *, digits: int = 4, mode: str = "sig",
                  max_expr: int = 40) -> Explanation:
    """∂top/∂bottom, where ``top`` uses ``bottom`` directly or through unnamed nodes only.

    Args:
        root: the output whose graph holds both nodes (usually the loss).
        top, bottom: the two nodes; both named (or the root), ``bottom`` an argument of ``top`` in
            the graph of named nodes.
        digits, mode, max_expr: as for `explain`.

    Returns:
        An `Explanation` of one line, ∂top/∂bottom = formula = number, whose number is the product of
        the engine's recorded partials (summed over routes through unnamed nodes).

    Raises:
        ValueError: ``top`` does not use ``bottom`` directly: ∂top/∂bottom is then a chain of factors,
            which `explain` writes out.
    """
    validate(root, digits, mode)
    g = GraphView(root, digits, mode, max_expr)
    for v in (top, bottom):
        if id(v) not in g.index:
            raise ValueError(f"{v.label or v!r} is not a node of {root.label or 'the root'}'s graph")
    flags = [True] * len(g.order)

    def is_stop(v: Value) -> bool:
        return bool(v.label) or v is root or v is top or v is bottom

    kt = g.index[id(top)]
    edges = collapsed_edges(g, flags, lambda v: is_stop(v))
    found = [(d, routes) for p, d, routes in edges.get(kt, []) if p is bottom]
    if not found:
        raise ValueError(f"{g.name(top).text} does not use {g.name(bottom).text} directly, so "
                         f"∂{g.name(top).text}/∂{g.name(bottom).text} is not one local factor; its chain "
                         f"of factors is what explain() writes out")
    (d, routes), = found
    symbol = derivative(g.name(top), g.name(bottom))
    formula = factor_formula(g, top, bottom, routes)
    if formula is not None and as_number(formula.text) is not None:
        formula = None
    rows = [([symbol, formula, g.number(d)], [])]
    quantity = Quantity(LOCAL, symbol, d, d, top, bottom, d)
    return Explanation("local", d, [Equations(rows, ["factor", "formula", "value"])], quantities=[quantity])
