"""Writing the pieces of a factored derivation: a factor's formula (a whole function's derivative
through autograd.symbolic where the hidden nodes between compute a function of one node), and
products and sums of symbols and numbers as a hand solution writes them."""

from __future__ import annotations

from autograd import symbolic
from autograd.derive.formula import ADD, MINUS, MUL, Formula, paren, product, sum_of
from autograd.derive.view import GraphView
from autograd.value import Value


def factor_formula(g: GraphView, top: Value, bottom: Value, routes) -> Formula | None:
    """The formula of the factor ∂top/∂bottom. Through hidden nodes that compute a function of
    ``bottom`` alone (an activation such as relu(z) + sin(z)), it is that function's derivative from
    autograd.symbolic — the same f′ the layer-level derivation prints; otherwise the sum over the
    routes of the products of their local partials. None when the routes are too many to write."""
    if not routes:
        return None
    if any(len(r) > 1 for r in routes) and function_of(top, bottom, routes):
        f = symbolic.from_graph(top, bottom)  # a whole function of bottom, one factor
        at = g.name(bottom)
        formula = f.formula(at=at, output=g.name(top))
        if len(routes) == 1:
            return formula
        prime = f.prime(at)  # several terms, such as relu(z) + sin(z): named f′(z), one function
        return Formula(f"{prime.text} = {formula.text}", f"{prime.latex} = {formula.latex}", ADD)
    return sum_of([product([g.partial(nd, s) for nd, s in r]) for r in routes])


def function_of(top: Value, bottom: Value, routes) -> bool:
    """Whether every node on the routes (top included) reads only hidden nodes of the routes, the
    bottom, or leaves: then top is a function of bottom, with the leaves as constants."""
    inside = {id(node) for r in routes for node, _ in r}
    inside.add(id(bottom))
    return all(id(p) in inside or not p.parents for r in routes for node, _ in r for p in node.parents)


def product_symbols(symbols: list[Formula]) -> Formula:
    return Formula(" · ".join(s.text for s in symbols), r" \cdot ".join(s.latex for s in symbols), MUL)


def multiplied_numbers(values: list[float], g: GraphView, lead: bool = False) -> Formula:
    """Numbers multiplied: a negative factor in parentheses unless it leads the whole expression."""
    shown = [g.number(x) for x in values]
    shown = [paren(s) if s.text.startswith(MINUS) and (k or lead) else s for k, s in enumerate(shown)]
    return Formula(" · ".join(s.text for s in shown), r" \cdot ".join(s.latex for s in shown), MUL)


def sum_formula(terms: list[Formula]) -> Formula:
    return Formula(" + ".join(t.text for t in terms), " + ".join(t.latex for t in terms), MUL if len(terms) == 1 else ADD)


def rounded_sum(g: GraphView, values: list[float]) -> float:
    total = 0.0
    for x in values:
        total = g.round(total + x)
    return total
