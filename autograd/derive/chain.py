"""`explain`: a gradient explained by the chain rule.

The forward pass first; then d(root)/d(wrt), by default in the factored form a hand solution uses
(autograd.derive.factored). This module also holds the path form: d(root)/d(wrt) written as a sum
over the paths from ``wrt`` to ``root`` of products of local partials, each factor shown as ∂a/∂b
with its formula (from the rule table in ops.py, in the operands' names) and its number; then the
sum, and a check against the engine's ``wrt.grad``. Unnamed intermediate nodes are collapsed: the
factor between two named nodes is the product through the unnamed ones. When there are too many
paths, the accumulated (delta) form is shown instead (autograd.derive.accumulate).

>>> from autograd import Value
>>> x = Value(3.0, label="x"); w = Value(2.0, label="w")
>>> y = (w * x).named("y"); loss = (0.5 * (y - 1.0) ** 2).named("ℓ")
>>> loss.backward()
>>> print(explain(loss, w))
forward pass, in the order it is computed:
<BLANKLINE>
  y = w·x          = 6
  ℓ = 0.5·(y − 1)² = 12.5
<BLANKLINE>
dℓ/dw = ∂ℓ/∂y · ∂y/∂w
<BLANKLINE>
  ∂ℓ/∂y = y − 1 = 5
  ∂y/∂w = x     = 3
<BLANKLINE>
dℓ/dw = 5 · 3 = 15
check: the engine's w.grad = 15 ✓
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autograd.derive.accumulate import explain_delta
from autograd.derive.document import Explanation
from autograd.derive.factored import explain_factored
from autograd.derive.formula import ATOM, MINUS, Formula, as_number, derivative, equals, paren, product
from autograd.derive.model import Equations, Line
from autograd.derive.forward import forward_section
from autograd.derive.closing import finish
from autograd.derive.view import MAX_CHAIN_FORMULA, GraphView, validate
from autograd.graph import count_paths, gc_paused, paths as walk_paths
from autograd.value import Value

__all__ = ["Factor", "PathTerm", "explain"]


@dataclass(frozen=True)
class Factor:
    """One factor of a chain product: ∂top/∂bottom (through unnamed nodes when collapsed).

    Attributes:
        symbol: e.g. ``∂ŷ/∂α²``; formula: e.g. ``ŷ(1 − ŷ)``; value: its number.
        rounded: its number recomputed with every step rounded (None unless asked for).
        steps: the (node, slot) steps it multiplies, bottom first.
    """

    symbol: str
    formula: str
    value: float
    rounded: float | None
    steps: tuple
    symbol_latex: str = ""
    formula_latex: str = ""


@dataclass(frozen=True)
class PathTerm:
    """One path from ``wrt`` to the root: its factors (root end first) and their product."""

    factors: tuple
    product: float
    rounded: float | None = None


@gc_paused()  # a printout builds many objects and no cycles: the collector would only rescan them
def explain(root: Value, wrt: Value, *, digits: int = 4, mode: str = "sig", collapse: bool = True,
            paths: bool = False, max_paths: int = 16, round_steps: bool = False, max_expr: int = 40,
            forward: bool = True, shortcuts: dict | None = None, outputs: tuple = ()) -> Explanation:
    """Explain d(root)/d(wrt) by the chain rule, as a hand-written solution does.

    The forward pass comes first (every named node with its definition and value). Then the
    derivative: factored at branch points (a node feeding several of the nodes shown gets its
    upstream gradient ∂root/∂node computed once, as a sum over what it feeds, then the chain goes
    on from there), each local factor shown as ∂a/∂b with its formula and number, and a check
    against the engine's ``wrt.grad``. With ``paths=True``, every path is listed as its own product
    instead and the products summed (too many paths: the accumulated δ form, and it says so).

    Args:
        root: the output differentiated (usually the loss).
        wrt: the node to differentiate with respect to (a parameter, an input or an intermediate).
        digits: significant digits (``mode="sig"``) or decimals (``mode="dec"``) of the numbers shown.
        mode: ``"sig"`` or ``"dec"``.
        collapse: True (default) shows only named nodes: the factor between two named nodes is the
            product through the unnamed ones (summed over their routes), exact factors of 1 dropped.
            False shows every node.
        paths: list every path from ``wrt`` to ``root`` instead of factoring at branch points.
        max_paths: with ``paths=True``, above this many paths the accumulated (delta) form is shown.
        round_steps: recompute every forward value, local partial, product and sum rounded to the
            digits shown, as by hand, and show the drift from the exact value.
        max_expr: longest unnamed expression written out; longer ones become ⟨k⟩, defined below.
        forward: open with the forward pass (False when it is shown elsewhere, as in a solution).
        shortcuts: ``{node: Shortcut(formula, note)}``: upstream gradients known in closed form
            (softmax with cross-entropy: ∂ℓ/∂zᵢ = ŷᵢ − yᵢ); the factored chain starts there.
        outputs: a network's other named outputs, such as a softmax's ŷ₁ when the loss reads only
            ŷ₂: partials may name them (∂ŷ₂/∂z₁ = −ŷ₂ŷ₁); nothing else changes.

    Returns:
        An `Explanation` whose ``value`` is d(root)/d(wrt) (per-step rounded if asked for) and whose
        ``quantities`` list every number it states.

    Raises:
        TypeError: root or wrt is not a Value.
        ValueError: wrt does not influence root, or an option is out of range.
    """
    validate(root, digits, mode)
    if not isinstance(wrt, Value):
        raise TypeError(f"wrt must be a Value from root's graph (e.g. a weight), got {type(wrt).__name__}")
    if not isinstance(max_paths, int) or max_paths < 1:
        raise ValueError(f"max_paths must be a whole number ≥ 1, got {max_paths!r}")
    g = GraphView(root, digits, mode, max_expr, outputs=tuple(outputs))
    if id(wrt) not in g.index:
        raise ValueError(f"wrt ({describe(wrt)}) is not among the nodes root was computed from, so it does "
                         f"not affect root (the derivative is 0); pass a node root depends on")
    total = derivative(g.name(root), g.name(wrt), partial=False)
    opening, values = forward_section(g) if forward else ([], [])
    if wrt is root:
        blocks = [Line([total, " = 1 (a quantity with respect to itself)"])]
        e = Explanation("explain", 1.0, blocks, method="paths")
    elif not paths:
        e = explain_factored(g, wrt, total, collapse, round_steps, shortcuts)
    else:
        n = count_paths(wrt, root)
        e = explain_delta(g, wrt, total, n, max_paths, collapse, round_steps) if n > max_paths else \
            _explain_paths(g, wrt, total, collapse, round_steps)
    e.blocks[:0] = opening
    e.quantities[:0] = values
    return e


def describe(v: Value) -> str:
    return f"label {v.label!r}" if v.label else f"an unnamed node with data {v.data!r}"


def _make_factor(g: GraphView, steps: list, collapse: bool, round_steps: bool) -> tuple[Factor, Formula, Formula]:
    """steps: (node, slot) from the bottom up; node.parents[slot] is the previous node."""
    top, first = steps[-1][0], steps[0]
    bottom = first[0].parents[first[1]]
    if len(steps) <= MAX_CHAIN_FORMULA:
        formula = product([g.partial(node, slot) for node, slot in steps])
    else:
        formula = Formula(f"(a product of {len(steps)} local partials)",
                        rf"\text{{(a product of {len(steps)} local partials)}}", ATOM)
    value = 1.0
    for node, slot in steps:
        value *= node.partials[slot]
    rounded = None
    if round_steps:
        rounded = 1.0
        for node, slot in steps:
            rounded *= g.rounded(node)[1][slot]
        rounded = g.round(rounded)
    symbol = derivative(g.name(top), g.name(bottom))
    factor = Factor(symbol.text, formula.text, value, rounded, tuple(steps), symbol.latex, formula.latex)
    return factor, symbol, formula


def _split_path(g: GraphView, wrt: Value, path: list, collapse: bool) -> list[list]:
    """A path's steps, cut after every named node (every node without collapsing); root end first."""
    segments, current = [], []
    for node, slot in path:
        current.append((node, slot))
        if not collapse or node.label or node is g.root:
            segments.append(current)
            current = []
    return segments[::-1]


def _explain_paths(g: GraphView, wrt: Value, total: Formula, collapse: bool, round_steps: bool) -> Explanation:
    all_paths = list(walk_paths(wrt, g.root))
    terms: list[PathTerm] = []
    rows_per_path: list[list] = []
    # the same ∂a/∂b through different routes (or argument slots) gets a note telling them apart
    routes: dict[tuple[int, int], list[tuple]] = {}
    segmented = [_split_path(g, wrt, p, collapse) for p in all_paths]
    for segments in segmented:
        for seg in segments:
            key = (g.index[id(seg[-1][0])], g.index[id(seg[0][0].parents[seg[0][1]])])
            route = tuple((g.index[id(n)], s) for n, s in seg)
            if route not in routes.setdefault(key, []):
                routes[key].append(route)
    for segments in segmented:
        factors, rows = [], []
        for seg in segments:
            factor, symbol, formula = _make_factor(g, seg, collapse, round_steps)
            key = (g.index[id(seg[-1][0])], g.index[id(seg[0][0].parents[seg[0][1]])])
            note: list = []
            if len(routes[key]) > 1:
                inner = [n for n, _ in seg[:-1]]
                if inner:
                    note = ["via ", g.name(inner[0])]
                else:
                    args, positions = g._arguments(seg[0][0])
                    note = [f"argument {positions[seg[0][1]] + 1} of ", g.name(seg[0][0])]
            shown = factor.rounded if round_steps else factor.value
            formula_cell = None if as_number(formula.text) is not None else formula
            if len(seg) > MAX_CHAIN_FORMULA:
                formula_cell = None
                note = note + (["; "] if note else []) + [f"a product of {len(seg)} local partials"]
            rows.append(([symbol, formula_cell, g.number(shown)], note))
            factors.append(factor)
        product = 1.0
        for f in factors:
            product *= f.value
        rounded = None
        if round_steps:
            rounded = 1.0
            for f in factors:
                rounded = g.round(rounded * f.rounded)
        terms.append(PathTerm(tuple(factors), product, rounded))
        rows_per_path.append(rows)

    exact = math.fsum(t.product for t in terms)
    value = exact
    if round_steps:
        value = 0.0
        for t in terms:
            value = g.round(value + t.rounded)

    def chain(term: PathTerm) -> Formula:
        return Formula(" · ".join(f.symbol for f in term.factors), r" \cdot ".join(f.symbol_latex for f in term.factors))

    def numbers(term: PathTerm) -> Formula:
        shown = [g.number(f.rounded if round_steps else f.value) for f in term.factors]
        shown = [paren(s) if s.text.startswith(MINUS) and k else s for k, s in enumerate(shown)]
        return Formula(" · ".join(s.text for s in shown), r" \cdot ".join(s.latex for s in shown))

    blocks: list = []
    if len(terms) == 1:
        term = terms[0]
        blocks.append(Line([equals(total, chain(term))]))
        blocks.append(Equations(rows_per_path[0], ["factor", "formula", "value"]))
        shown = [numbers(term)] if len(term.factors) > 1 else []
        blocks.append(Line([equals(total, *shown, g.number(value))]))
    else:
        blocks.append(Line([total, f" = sum over {len(terms)} paths. ", *_fan_out(g, wrt, all_paths)]))
        for k, (term, rows) in enumerate(zip(terms, rows_per_path), 1):
            blocks.append(Line([]))
            blocks.append(Line([f"path {k}: ", chain(term)]))
            blocks.append(Equations(rows, ["factor", "formula", "value"]))
            shown = [numbers(term)] if len(term.factors) > 1 else []
            blocks.append(Line([f"path {k} = ", equals(*shown, g.number(term.rounded if round_steps else term.product))]))
        blocks.append(Line([]))
        shown = [g.number(t.rounded if round_steps else t.product) for t in terms]
        summed = Formula(" + ".join(s.text if not k or not s.text.startswith(MINUS) else f"({s.text})"
                                  for k, s in enumerate(shown)),
                       " + ".join(s.latex if not k or not s.text.startswith(MINUS) else f"({s.latex})"
                                  for k, s in enumerate(shown)))
        blocks.append(Line([equals(total, summed, g.number(value))]))
    blocks.extend(finish(g, wrt, value, exact, round_steps, blocks))
    return Explanation("explain", value, blocks, exact=exact, method="paths", paths=terms)


def _fan_out(g: GraphView, wrt: Value, all_paths: list) -> list:
    """Prose saying where the paths split: each node with more than one way onwards."""
    onwards: dict[int, list[tuple[Value, int]]] = {}
    nodes: dict[int, Value] = {}
    for path in all_paths:
        prev = wrt
        for node, slot in path:
            k = g.index[id(prev)]
            nodes[k] = prev
            nexts = onwards.setdefault(k, [])
            if not any(n is node and s == slot for n, s in nexts):
                nexts.append((node, slot))
            prev = node
    pieces: list = []
    for k in sorted(onwards, reverse=False):
        nexts = onwards[k]
        if len(nexts) < 2:
            continue
        pieces += ["They split at " if not pieces else "; at ", g.name(nodes[k]), ", which feeds "]
        for j, (node, slot) in enumerate(nexts):
            if j:
                pieces.append(" and " if j == len(nexts) - 1 else ", ")
            pieces.append(g.name(node))
            if sum(1 for n, _ in nexts if n is node) > 1:
                pieces.append(f" (argument {g._arguments(node)[1][slot] + 1})")
    return pieces + ["."] if pieces else []
