"""The accumulated (delta) form of a derivation: the gradient carried backwards over the nodes
shown, δ(v) = Σ over the nodes c that use v of δ(c)·∂c/∂v, used when a derivative has too many paths
to list one by one.

`collapsed_edges` also serves the trace of named nodes only: for every node shown, the nodes shown
below it, reached through hidden ones, with the summed factor and its formula.
"""

from __future__ import annotations

import heapq

from autograd.derive.document import Explanation
from autograd.derive.formula import MINUS, MUL, Formula, as_number, delta_of, derivative, equals, paren, product, sum_of
from autograd.derive.model import Equations, Line
from autograd.derive.closing import finish
from autograd.derive.view import MAX_CHAIN_FORMULA, GraphView
from autograd.value import Value

def collapsed_edges(g: GraphView, flags: list[bool], is_stop, max_routes: int = 8):
    """For each stop node c (a node shown), the stop nodes below it reached through non-stop nodes,
    with the summed factor and its formula (None when more than ``max_routes`` routes).

    Each stop node's search visits only the hidden nodes below it, latest first (a max-heap on the
    topological position), so a hidden node's factor is complete before it is expanded; a graph
    whose hidden stretches are short (a network's activations) is handled in near-linear time.
    """
    edges: dict[int, list] = {}
    index, order = g.index, g.order
    for kc, c in enumerate(order):
        if not flags[kc] or not is_stop(c) or not c.parents:
            continue
        acc: dict[int, float] = {kc: 1.0}
        found: dict[int, float] = {}
        heap = [-kc]
        while heap:
            k = -heapq.heappop(heap)
            v, up = order[k], acc[k]
            for p, d in zip(v.parents, v.partials):
                kp = index[id(p)]
                if not flags[kp]:
                    continue
                if is_stop(p):
                    found[kp] = found.get(kp, 0.0) + up * d
                elif kp in acc:
                    acc[kp] += up * d
                else:
                    acc[kp] = up * d
                    heapq.heappush(heap, -kp)
        bottoms = sorted(found)  # earlier-computed parents first, as the engine goes through arguments
        routes = _routes_below(g, c, bottoms, flags, is_stop, max_routes)
        edges[kc] = [(order[kp], found[kp], routes[kp]) for kp in bottoms]
    return edges


def _routes_below(g: GraphView, top: Value, bottoms: list[int], flags, is_stop, cap: int) -> dict:
    """For each stop node below ``top`` (positions in ``bottoms``), every route of steps from ``top``
    down to it through non-stop nodes, bottom first, in the order of ``top``'s arguments; None for
    a node with more than ``cap`` routes, and for all of them when a route is longer than
    `MAX_CHAIN_FORMULA`. One walk serves every bottom, so a neuron's many inputs cost one pass,
    not one pass each."""
    found: dict[int, list | None] = {k: [] for k in bottoms}
    budget = cap * (len(bottoms) + 8)  # hidden nodes that branch and meet again can multiply routes
    stack = [(top, [])]
    index = g.index
    while stack:
        node, steps = stack.pop()
        for slot in range(len(node.parents) - 1, -1, -1):
            p = node.parents[slot]
            kp = index[id(p)]
            if not flags[kp]:
                continue
            route = [(node, slot)] + steps
            if len(route) > MAX_CHAIN_FORMULA:
                return {k: None for k in bottoms}  # too long to write out; the numbers are still exact
            if is_stop(p):
                routes = found.get(kp)
                if routes is not None:
                    if len(routes) >= cap:
                        found[kp] = None  # too many to write out
                    else:
                        routes.append(route)
                budget -= 1
                if budget < 0:
                    return {k: None for k in bottoms}
            else:
                stack.append((p, route))
    return found


def explain_delta(g: GraphView, wrt: Value, total: Formula, n: int, max_paths: int, collapse: bool,
                   round_steps: bool) -> Explanation:
    flags = g.relevant(wrt)

    def is_stop(v: Value) -> bool:
        return not collapse or bool(v.label) or v is g.root or v is wrt

    edges = collapsed_edges(g, flags, is_stop)
    delta: dict[int, float] = {g.index[id(g.root)]: 1.0}
    delta_r: dict[int, float] = dict(delta)
    consumers: dict[int, list] = {}
    local_rows, seen_local = [], set()
    for kc in sorted(edges, reverse=True):
        c = g.order[kc]
        for p, d, routes in edges[kc]:
            kp = g.index[id(p)]
            delta[kp] = delta.get(kp, 0.0) + delta[kc] * d
            consumers.setdefault(kp, []).append((c, d, routes))
            if round_steps:
                dr = rounded_routes(g, routes) if routes is not None else g.round(d)
                delta_r[kp] = g.round(delta_r.get(kp, 0.0) + g.round(delta_r[kc] * dr))
            if (kc, kp) not in seen_local:
                seen_local.add((kc, kp))
                formula = sum_of([product([g.partial(nd, s) for nd, s in r]) for r in routes]) if routes else None
                if formula is not None and as_number(formula.text) is not None:
                    formula = None
                shown = rounded_routes(g, routes) if round_steps and routes else d
                note = [] if routes is not None else ["through unnamed nodes (too many or too long routes to write out)"]
                local_rows.append(([derivative(g.name(c), g.name(p)), formula, g.number(shown)], note))
    kw = g.index[id(wrt)]
    exact = delta[kw]
    value = delta_r[kw] if round_steps else exact
    numbers = delta_r if round_steps else delta

    rows = [([delta_of(g.name(g.root)), None, None, g.number(1.0)], [])]
    for kp in sorted(consumers, reverse=True):
        p = g.order[kp]
        terms_sym, terms_num = [], []
        for c, d, routes in consumers[kp]:
            kc = g.index[id(c)]
            sym = derivative(g.name(c), g.name(p))
            terms_sym.append(Formula(f"{delta_of(g.name(c)).text}·{sym.text}",
                                   rf"{delta_of(g.name(c)).latex} \cdot {sym.latex}", MUL))
            dn = (rounded_routes(g, routes) if routes else g.round(d)) if round_steps else d
            a, b = g.number(numbers[kc]), g.number(dn)
            a, b = (paren(x) if x.text.startswith(MINUS) else x for x in (a, b))
            terms_num.append(Formula(f"{a.text}·{b.text}", rf"{a.latex} \cdot {b.latex}", MUL))
        note: list = []
        if len(terms_sym) > 4:  # a wide layer: the first terms and the last, and how many there are
            terms_sym = terms_sym[:2] + [Formula("…", r"\ldots")] + terms_sym[-1:]
            terms_num = terms_num[:2] + [Formula("…", r"\ldots")] + terms_num[-1:]
            note = [f"({len(consumers[kp])} terms)"]
        rows.append(([delta_of(g.name(p)), sum_of(terms_sym), sum_of(terms_num), g.number(numbers[kp])], note))

    what = "named nodes" if collapse else "nodes"
    blocks: list = [
        Line([total, f": {n} paths lead from ", g.name(wrt), " to ", g.name(g.root),
               f", more than max_paths={max_paths}, so instead of listing them the gradient is "
               f"accumulated backwards over the {what} between them:"]),
        Line([Formula(f"δ(v) = ∂{g.name(g.root).text}/∂v = Σ over the nodes c that use v of δ(c)·∂c/∂v",
                     rf"\delta(v) = \frac{{\partial {g.name(g.root).latex}}}{{\partial v}} = "
                     rf"\sum_{{c \text{{ uses }} v}} \delta(c) \cdot \frac{{\partial c}}{{\partial v}}")]),
        Equations(rows, ["δ", "sum over consumers", "numbers", "value"]),
        Line(["with the local factors"]),
        Equations(local_rows, ["factor", "formula", "value"]),
        Line([equals(total, delta_of(g.name(wrt)), g.number(value))]),
    ]
    blocks.extend(finish(g, wrt, value, exact, round_steps, blocks))
    return Explanation("explain", value, blocks, exact=exact, method="delta")


def rounded_routes(g: GraphView, routes) -> float:
    total = 0.0
    for route in routes:
        r = 1.0
        for node, slot in route:
            r *= g.rounded(node)[1][slot]
        total = g.round(total + r)
    return total
