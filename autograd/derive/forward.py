"""`forward_table`: each named node in the order it is computed, its definition in names, its value."""

from __future__ import annotations

from autograd.derive.document import Explanation
from autograd.derive.model import Line, Table, text_of
from autograd.derive.view import GraphView, validate
from autograd.value import Value

def forward_table(root: Value, *, all_nodes: bool = False, given: bool = True, digits: int = 4, mode: str = "sig",
                  round_steps: bool = False, max_expr: int = 40) -> Explanation:
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

    Returns:
        An `Explanation` whose ``value`` is root's value.
    """
    validate(root, digits, mode)
    g = GraphView(root, digits, mode, max_expr, numbered=all_nodes)
    rows = []
    for v in g.order:
        if not (v.label or v is root or (all_nodes and v.parents)):
            continue
        if not v.parents and not given:
            continue
        definition = [g.expression(v)] if v.parents else ["given"]
        row = [[g.name(v) if (v.label or all_nodes) else g.expression(v)], definition, [g.number(v.data)]]
        if round_steps:
            row.append([g.number(g.rounded(v)[0])])
        rows.append(row)
    header = [["name"], ["definition"], ["value"]] + ([["rounded by hand"]] if round_steps else [])
    blocks: list = [Line(["forward pass of ", g.name(root), ", in the order it is computed"]),
                    Table(header, rows)]
    if not all_nodes:
        blocks.extend(g.legend([text_of(c) for row in rows for c in row]))
    return Explanation("forward", root.data, blocks)
