"""`forward_table`: each named node in the order it is computed, its definition in names, its value."""

from __future__ import annotations

from autograd.derive.document import Explanation
from autograd.derive.model import VALUE, Equations, Line, Quantity, Table, texts_of
from autograd.derive.view import GraphView, validate
from autograd.graph import gc_paused
from autograd.value import Value

@gc_paused()  # a printout builds many objects and no cycles: the collector would only rescan them
def forward_table(root: Value, *, all_nodes: bool = False, given: bool = True, digits: int = 4, mode: str = "sig",
                  round_steps: bool = False, max_expr: int = 40, also=()) -> Explanation:
    """Each named node in the order it is computed: its name, its definition in names, its value.

    Args:
        root: the output; every node it was computed from is considered.
        all_nodes: list unnamed operations too, as ⟨k⟩ (k: the position in the topological order).
        given: list the leaves (inputs and parameters, "given") too; False lists only computed nodes,
            for a solution that shows the given matrices on their own.
        digits, mode: number formatting, as in `explain`.
        round_steps: add a column with every value recomputed from rounded inputs and rounded, as
            by hand.
        max_expr: longest unnamed expression written out inside a definition.
        also: other outputs to list with everything they are computed from, though the root does
            not depend on them (every ŷᵢ of a network whose loss reads only one of them).

    Returns:
        An `Explanation` whose ``value`` is root's value.
    """
    validate(root, digits, mode)
    extra = tuple(v for v in _values(also, "also") if v is not root)
    g = GraphView(root, digits, mode, max_expr, numbered=all_nodes, also=extra)
    rows = []
    quantities = []
    for v in g.order:
        if not (v.label or v is root or (all_nodes and v.parents) or any(v is e for e in extra)):
            continue
        if not v.parents and not given:
            continue
        definition = [g.expression(v)] if v.parents else ["given"]
        symbol = g.name(v) if (v.label or all_nodes) else g.expression(v)
        row = [[symbol], definition, [g.number(v.data)]]
        value = v.data
        if round_steps:
            value = g.rounded(v)[0]
            row.append([g.number(value)])
        rows.append(row)
        quantities.append(Quantity(VALUE, symbol, value, v.data, v, None, v.data))
    header = [["name"], ["definition"], ["value"]] + ([["rounded by hand"]] if round_steps else [])
    blocks: list = [Line(["forward pass of ", g.name(root), ", in the order it is computed"]),
                    Table(header, rows)]
    if not all_nodes:
        blocks.extend(g.legend(texts_of(rows)))
    return Explanation("forward", root.data, blocks, quantities=quantities)


def forward_section(g: GraphView, small: int = 16) -> tuple[list, list]:
    """The forward pass that opens an explanation: blocks and quantities.

    Every named node computed on the way, with its definition and value. When nothing between the
    inputs and the root is named and the graph is small (at most ``small`` operations), every
    operation is listed by its own expression instead (x + y = 3), so a formula such as (x + y)·z
    still shows its intermediate values.
    """
    operations = [v for v in g.order if v.parents]
    named = [v for v in operations if v.label or v is g.root]
    if len(named) == 1 and len(operations) <= small:
        named = operations
    rows, quantities = [], []
    for v in named:
        value = g.number(v.data)
        if v.label or v is g.root:
            symbol = g.name(v)
            rows.append(([symbol, g.expression(v), value], []))
        else:
            symbol = g.expression(v)
            rows.append(([symbol, value], []))
        quantities.append(Quantity(VALUE, symbol, v.data, v.data, v, None, v.data))
    if not rows:
        return [], []
    return [Line(["forward pass, in the order it is computed:"]), Equations(rows, ["node", "definition", "value"]),
            Line([])], quantities


def values(root: Value, nodes, *, digits: int = 4, mode: str = "sig", max_expr: int = 40) -> Explanation:
    """The values of some nodes of root's graph as a student writes them down: each node's
    definition in names, then in numbers, then its value (α¹₁ = W¹₁₁·1 + W¹₂₁·x₁ + … = −1·1 + … = 0).

    Args:
        root: the output whose graph holds the nodes (or that the nodes are outputs beside).
        nodes: the Values to show, in the order given.
        digits, mode, max_expr: as for `forward_table`.

    Returns:
        An `Explanation` with one `VALUE` quantity per node.
    """
    validate(root, digits, mode)
    shown = _values(nodes, "nodes")
    g = GraphView(root, digits, mode, max_expr, also=tuple(v for v in shown if v is not root))
    rows, quantities = [], []
    for v in shown:
        symbol = g.name(v) if v.label or not v.parents else g.expression(v)
        if v.parents:
            definition, numbers = g.expression(v), g.substituted(v)
            cells = [symbol, definition] + ([numbers] if numbers.text != definition.text else []) + [g.number(v.data)]
        else:
            cells = [symbol, g.number(v.data)]
        rows.append((cells, []))
        quantities.append(Quantity(VALUE, symbol, v.data, v.data, v, None, v.data))
    blocks = [Equations(rows, ["node", "definition", "numbers", "value"])]
    blocks.extend(g.legend([c.text for cells, _ in rows for c in cells]))
    return Explanation("forward", shown[-1].data if shown else root.data, blocks, quantities=quantities)


def _values(xs, what: str) -> list:
    xs = [xs] if isinstance(xs, Value) else list(xs)
    for x in xs:
        if not isinstance(x, Value):
            raise TypeError(f"{what} must hold Values (outputs of the graph), got {type(x).__name__}: {x!r}")
    return xs
