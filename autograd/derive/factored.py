"""The factored form of a derivation: the chain rule as a hand-written solution applies it.

Between ``wrt`` and the root, every node that feeds two or more of the nodes shown (a branch
point, such as a hidden unit feeding every unit of the next layer) gets its upstream gradient
computed once, as a step of its own: ∂ℓ/∂h = Σ over its consumers c of ∂ℓ/∂c · ∂c/∂h, each term
written out, the sum evaluated and checked against the engine's ``h.grad``. The chain then goes on
from there, so the derivation reads top-down and its size grows with the graph, not with the number
of paths. Where there is no branch point it is one chain product, exactly as the path form prints it.

Unnamed nodes between two shown ones are multiplied through (summed over their routes), so a
formula activation such as relu(z) + sin(z) is one factor with one derivative, [z > 0] + cos z.
A caller that knows a node's upstream gradient in closed form (softmax with cross-entropy:
∂ℓ/∂zᵢ = ŷᵢ − yᵢ) passes it as a shortcut; the chain then starts there.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.derive.document import Explanation
from autograd.derive.formula import Formula, as_number, derivative, equals
from autograd.derive.model import GRADIENT, LOCAL, UPSTREAM, Equations, Line, Quantity, text_of
from autograd.derive.plan import Plan, Term
from autograd.derive.terms import factor_formula, multiplied_numbers, product_symbols, rounded_sum, sum_formula
from autograd.derive.closing import finish
from autograd.derive.view import GraphView
from autograd.value import Value

# A sum over more consumers than this shows its first two terms, "…" and its last.
_WIDEST_SUM = 4


@dataclass(frozen=True)
class Shortcut:
    """An upstream gradient known in closed form: ∂root/∂node = ``formula`` (its value is the graph's),
    with a note saying why it holds (e.g. "softmax with cross-entropy, Σy = 1")."""

    formula: Formula
    note: str = ""


def explain_factored(g: GraphView, wrt: Value, total: Formula, collapse: bool, round_steps: bool,
                     shortcuts: dict | None = None) -> Explanation:
    """d(root)/d(wrt) in the factored form (see the module docstring)."""
    shortcuts = {id(v): s for v, s in (shortcuts or {}).items()}
    plan = Plan(g, wrt, collapse, shortcuts, round_steps)
    kr = g.index[id(g.root)]
    shown: set = set()
    quantities: list[Quantity] = []
    blocks: list = []

    def name(k: int) -> Formula:
        return g.name(g.order[k])

    def upstream_symbol(k: int) -> Formula:
        return derivative(name(kr), name(k))

    def local_rows(edges: list) -> list:
        rows = []
        for kc, kp in edges:
            if (kc, kp) in shown:
                continue
            shown.add((kc, kp))
            d, routes = plan.factor(kc, kp)
            formula = factor_formula(g, g.order[kc], g.order[kp], routes)
            if formula is not None and as_number(formula.text) is not None:
                formula = None
            note = [] if routes is not None else ["through unnamed nodes (too many or too long routes to write out)"]
            symbol = derivative(name(kc), name(kp))
            value = plan.factor_value(kc, kp)
            rows.append(([symbol, formula, g.number(value)], note))
            quantities.append(Quantity(LOCAL, symbol, value, d, g.order[kc], g.order[kp]))
        return rows

    def term(k_consumer: int | None, k_arg: int) -> Term:
        """The chain from the nearest computed node down to ``k_arg`` (through ``k_consumer``)."""
        top, edges = plan.chain(k_consumer) if k_consumer is not None else plan.chain(k_arg)
        if k_consumer is not None:
            edges = edges + [(k_consumer, k_arg)]
        numbers = ([plan.rounded[top]] if top != kr else []) + [plan.factor_value(c, p) for c, p in edges]
        exact = plan.delta[top] if top != kr else 1.0
        for c, p in edges:
            exact *= plan.factor(c, p)[0]
        return Term(top, edges, numbers, exact, lambda: ([upstream_symbol(top)] if top != kr else []) +
                     [derivative(name(c), name(p)) for c, p in edges])

    def rounded_product(numbers: list[float]) -> float:
        value = 1.0
        for x in numbers:
            value = g.round(value * x) if round_steps else value * x
        return value

    # Gradients known in closed form first, then the branch points from the root down.
    given = sorted(k for k in plan.anchors if id(g.order[k]) in shortcuts)
    if given:
        blocks.extend(_given_blocks(g, plan, given, upstream_symbol, quantities))
    branches = [k for k in plan.anchors if id(g.order[k]) not in shortcuts]
    if branches:
        blocks.append(Line([]))
        blocks.append(Line(_branch_prose(plan, branches, name)))
    for ka in branches:
        if ka == plan.kw:
            continue  # wrt itself: its sum is the answer, written last
        blocks.extend(_anchor_blocks(g, plan, ka, upstream_symbol(ka), term, local_rows, rounded_product,
                                     quantities))

    # The answer.
    if plan.kw in plan.anchors and id(wrt) not in shortcuts:
        terms = [term(kc, plan.kw) for kc, _, _ in plan.consumers[plan.kw]]
        rows = local_rows([e for t in terms for e in t.edges])
        exact = sum(t.exact for t in terms)
        value = rounded_sum(g, [rounded_product(t.numbers) for t in terms]) if round_steps else exact
        heading = Line([equals(total, sum_formula([product_symbols(t.symbols()) for t in terms]))])
        summed = sum_formula([multiplied_numbers(t.numbers, g, lead=k > 0) for k, t in enumerate(terms)])
        closing = Line([equals(total, summed, g.number(value))])
        inputs = tuple(s for t in terms for s in t.symbols())
    else:
        t = term(None, plan.kw)
        rows = local_rows(t.edges)
        value = rounded_product(t.numbers)
        symbols = t.symbols()
        heading = Line([equals(total, product_symbols(symbols))])
        shown_numbers = [multiplied_numbers(t.numbers, g)] if len(t.numbers) > 1 else []
        closing = Line([equals(total, *shown_numbers, g.number(value))])
        inputs = tuple(symbols)
        exact = t.exact
    blocks.insert(0, heading)
    if rows:
        if plan.anchors:
            blocks.append(Line([]))
            blocks.append(Line(["and on to ", g.name(wrt), ":"]))
        blocks.append(Equations(rows, ["factor", "formula", "value"]))
    blocks.append(closing)
    quantities.append(Quantity(GRADIENT, total, value, exact, g.root, wrt, wrt.grad, inputs))
    blocks.extend(finish(g, wrt, value, exact, round_steps, blocks))
    return Explanation("explain", value, blocks, exact=exact, method="factored", quantities=quantities)


def _given_blocks(g: GraphView, plan: Plan, given: list, upstream_symbol, quantities) -> list:
    """The gradients known in closed form: one line each, their reason once, the engine's check."""
    notes = [plan.shortcuts[id(g.order[k])].note for k in given]
    shared = notes[0] if len(set(notes)) == 1 else ""
    rows, checks = [], []
    for k, note in zip(given, notes):
        node, exact = g.order[k], plan.delta[k]
        value = g.round(exact) if plan.round_steps else exact
        symbol = upstream_symbol(k)
        rows.append(([symbol, plan.shortcuts[id(node)].formula, g.number(value)], [f"({note})"] if note and not shared else []))
        plan.rounded[k] = value
        engine = node.grad if node.parents else None
        quantities.append(Quantity(UPSTREAM, symbol, value, exact, g.root, node, engine, ()))
        if engine is not None:
            checks.append(_check_pieces(g, node, exact))
    prose = ["Known in closed form", f" ({shared})" if shared else "", ":"]
    blocks = [Line([]), Line(prose), Equations(rows, ["gradient", "formula", "value"])]
    for pieces in checks:
        blocks.append(Line(pieces))
    return blocks


def _anchor_blocks(g, plan, ka, symbol, term, local_rows, rounded_product, quantities) -> list:
    """The blocks computing one node's upstream gradient: the factors it needs, then the sum."""
    node = g.order[ka]
    exact = plan.delta[ka]
    blocks: list = [Line([])]
    terms = [term(kc, ka) for kc, _, _ in plan.consumers[ka]]
    # a wide sum shows its first two terms, "…" and its last, and only their factors
    shown = terms if len(terms) <= _WIDEST_SUM else terms[:2] + terms[-1:]
    rows = local_rows([e for t in shown for e in t.edges])
    if rows:
        blocks.append(Equations(rows, ["factor", "formula", "value"]))
    value = rounded_sum(g, [rounded_product(t.numbers) for t in terms]) if plan.round_steps else exact
    symbolic = [product_symbols(t.symbols()) for t in shown]
    numeric = [multiplied_numbers(t.numbers, g, lead=k > 0) for k, t in enumerate(shown)]
    note: list = []
    if len(terms) > _WIDEST_SUM:
        symbolic.insert(2, Formula("…", r"\ldots"))
        numeric.insert(2, Formula("…", r"\ldots"))
        note = [f"({len(terms)} terms)"]
    blocks.append(Equations([([symbol, sum_formula(symbolic)], []), ([None, sum_formula(numeric)], []),
                             ([None, g.number(value)], note)], ["gradient", "sum over what it feeds"]))
    inputs = tuple(s for t in shown for s in t.symbols())
    plan.rounded[ka] = value
    engine = node.grad if node.parents else None
    quantities.append(Quantity(UPSTREAM, symbol, value, exact, g.root, node, engine, inputs))
    if engine is not None:
        blocks.append(Line(_check_pieces(g, node, exact)))
    return blocks


def _check_pieces(g: GraphView, node: Value, exact: float) -> list:
    name = g.name(node)
    label = Formula(f"{name.text}.grad", rf"{name.latex}.\mathrm{{grad}}")
    if g.root.grad == 0.0 and node.grad == 0.0 and exact != 0.0:
        return ["check: run backward() on ", g.name(g.root), " to compare with the engine's ", label]
    mark = " ✓" if _close(node.grad, exact) else f" ✗ differs from {text_of([g.number(exact)])}"
    return ["check: the engine's ", label, " = ", g.number(node.grad), mark]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 + 1e-9 * max(abs(a), abs(b))


def _branch_prose(plan: Plan, branches: list, name) -> list:
    """Where the paths split and where they meet again, and that each such node's gradient is
    computed once before the chain goes on."""
    pieces: list = []
    splits = [k for k in branches if k not in plan.merges]
    meets = [k for k in branches if k in plan.merges]
    for k, ka in enumerate(splits):
        pieces.append("The paths split at " if k == 0 else ", and at ")
        pieces.append(name(ka))
        pieces.append(", which feeds ")
        feeds = [name(kc) for kc, _, _ in plan.consumers[ka]]
        for j, f in enumerate(feeds):
            if j:
                pieces.append(" and " if j == len(feeds) - 1 else ", ")
            pieces.append(f)
    for k, ka in enumerate(meets):
        pieces.append(("; they meet again at " if splits else "The paths meet at ") if k == 0 else " and ")
        pieces.append(name(ka))
    if len(branches) == 1:
        pieces.append(": its gradient is computed once" + (", as the sum over what it feeds," if splits else ",")
                      + " and the chain goes on from there.")
    else:
        pieces.append(": the gradient of each is computed once (where paths split, as the sum over what it "
                      "feeds), from the top down, and the chain goes on from there.")
    return pieces
