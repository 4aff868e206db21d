"""`trace`: the backward pass as the engine runs it, node by node.

In reverse topological order, each node's upstream gradient times each local partial is the
contribution added into its parent's running total; the numbers are recomputed here from the
recorded partials (nothing in the graph changes) and compared with the engine's ``.grad`` at the end.
"""

from __future__ import annotations

import math

from autograd.derive.accumulate import collapsed_edges
from autograd.derive.document import Explanation
from autograd.derive.formula import (ADD, MINUS, Formula, as_number, derivative, derivative_texts, paren, product,
                                     sum_of)
from autograd.derive.model import Line, Table, TraceStep
from autograd.derive.closing import kink_lines
from autograd.derive.view import GraphView, validate
from autograd.graph import gc_paused
from autograd.value import Value

@gc_paused()  # a printout builds many objects and no cycles: the collector would only rescan them
def trace(root: Value, *, wrt: Value | None = None, named_only: bool = False, max_lines: int | None = None,
          digits: int = 4, mode: str = "sig", max_expr: int = 40, outputs: tuple = ()) -> Explanation:
    """The backward pass as the engine runs it: node by node in reverse topological order, upstream
    gradient × local partial = contribution, added into the parent's running total.

    The numbers are recomputed here from the recorded partials (nothing in the graph is changed)
    and compared with the engine's ``.grad`` at the end.

    Args:
        root: the output whose backward pass is shown.
        wrt: show only the part of the graph between this node and ``root`` (what its gradient
            depends on).
        named_only: show only named nodes; the step between two of them multiplies through the
            unnamed nodes in between.
        max_lines: show at most this many steps, then say how many were left out.
        digits, mode: number formatting, as in `explain`.
        max_expr: longest unnamed expression written out, as in `explain`.
        outputs: other named outputs partials may name, as in `explain`.

    Returns:
        An `Explanation`; its ``value`` is ∂root/∂wrt when ``wrt`` is given, else root's value.
    """
    validate(root, digits, mode)
    if max_lines is not None and (not isinstance(max_lines, int) or max_lines < 1):
        raise ValueError(f"max_lines must be None or a whole number ≥ 1, got {max_lines!r}")
    g = GraphView(root, digits, mode, max_expr, outputs=tuple(outputs))
    if wrt is not None and (not isinstance(wrt, Value) or id(wrt) not in g.index):
        raise ValueError("wrt must be a Value that root was computed from, to limit the trace to its part")
    flags = g.relevant(wrt)
    # ∂root/∂v for every node, recomputed in the engine's order from the stored partials
    grads = [0.0] * len(g.order)
    grads[-1] = 1.0
    # each step as (consumer, upstream, parent, local partial, how to write the local partial), made
    # as the rows are written (a generator: the steps of a big graph are never all held at once)
    if named_only:
        def is_stop(v: Value) -> bool:
            return bool(v.label) or v is root or v is wrt

        def formula_of(c: Value, routes) -> Formula | None:  # the product along each route, summed
            return sum_of([product([g.partial(n, s) for n, s in r]) for r in routes]) if routes else None

        def walk():
            edges = collapsed_edges(g, flags, is_stop)
            for kc in sorted(edges, reverse=True):
                c, up = g.order[kc], grads[kc]
                for p, d, routes in edges[kc]:
                    grads[g.index[id(p)]] += up * d
                    yield c, up, p, d, routes
    else:
        formula_of = g.partial  # of the consumer, by the parent's argument slot

        def walk():
            for kc in range(len(g.order) - 1, -1, -1):
                c, up = g.order[kc], grads[kc]
                if not c.parents or not flags[kc] or up == 0.0:
                    continue  # the engine skips a node whose gradient is 0, too
                for slot, (p, d) in enumerate(zip(c.parents, c.partials)):
                    kp = g.index[id(p)]
                    if not flags[kp]:
                        continue
                    grads[kp] += up * d
                    yield c, up, p, d, slot

    running: dict[int, float] = {}
    rows = []
    trace_steps: list[TraceStep] = []
    index, name, number = g.index, g.name, g.number
    is_number: dict[str, bool] = {}  # per formula text: a plain number is not written out as a formula
    # the text of each row's local-partial cell: the only cells that name nodes (∂c/∂p names both
    # ends, the formula the rest), so the only ones the legend of placeholders ⟨k⟩ has to read
    named: list[str] = []
    consumer = None
    left_out = 0  # steps past max_lines: counted, not written out
    p_cells: dict[int, list] = {}  # position of a node -> the cell naming it
    for c, up, p, d, how in walk():
        kp = index[id(p)]
        contribution = up * d
        before = running.get(kp)
        total_now = running[kp] = (before or 0.0) + contribution
        if max_lines is not None and len(rows) >= max_lines:
            left_out += 1
            continue
        if c is not consumer:  # a consumer's steps come together: its name and upstream once
            consumer, c_name, upstream = c, name(c), number(up)
            # cells that read the same are one list, shared by the rows (cells are read, never
            # written): a trace of a big graph holds a row per edge, and its memory is much of the time
            c_cell, up_cell = [c_name], [upstream]
        p_cell = p_cells.get(kp)
        if p_cell is None:
            p_cell = p_cells[kp] = [name(p)]
        p_name = p_cell[0]
        formula = formula_of(c, how)
        if formula is not None:
            plain = is_number.get(formula.text)
            if plain is None:
                plain = is_number[formula.text] = as_number(formula.text) is not None
        # ∂c/∂p = formula = number (the formula left out when it is a number), made as one formula
        text, latex = derivative_texts(c_name, p_name)
        shown = number(d)
        if formula is None or plain:
            local = Formula(f"{text} = {shown.text}", f"{latex} = {shown.latex}", ADD)
        else:
            local = Formula(f"{text} = {formula.text} = {shown.text}", f"{latex} = {formula.latex} = {shown.latex}", ADD)
        named.append(local.text)
        contribution_cell = [number(contribution)]
        if before is None:
            total = contribution_cell  # the running total starts as this contribution
        else:
            c_num = number(contribution)
            c_num = paren(c_num) if c_num.text.startswith(MINUS) else c_num
            total = [number(before), " + ", c_num, " = ", number(total_now)]
        row = [[str(len(rows) + 1)], c_cell, up_cell, [local], contribution_cell, p_cell, total]
        rows.append(row)
        trace_steps.append(TraceStep(len(rows), c, p, up, d, contribution, total_now, before is None, tuple(row)))

    r = g.name(root)
    header = [["step"], ["node"], ["upstream ", Formula(f"∂{r.text}/∂node", rf"\partial {r.latex} / \partial \mathrm{{node}}")],
              ["× local partial"], ["= contribution"], ["into"], ["running total"]]
    what = "named nodes, " if named_only else ""
    part = ["the part between ", g.name(wrt), " and ", r, ", "] if wrt is not None else []
    blocks: list = [Line(["backward pass from ", r, ", ", *part, what,
                           "in the engine's order (reverse topological): seed ",
                           derivative(r, r), " = 1"]),
                    Table(header, rows)]
    if left_out:
        blocks.append(Line([f"… {left_out} more steps (max_lines={max_lines})"]))
    # compare with the engine on the nodes that received a gradient here
    shown = [k for k in sorted(running) if flags[k]]
    if g.root.grad == 0.0 and all(g.order[k].grad == 0.0 for k in shown):
        blocks.append(Line(["engine check: run backward() on ", r, " to compare with the engine's .grad"]))
    else:
        bad = [k for k in shown if not math.isclose(g.order[k].grad, grads[k], rel_tol=1e-9, abs_tol=1e-12)]
        if not bad:
            blocks.append(Line([f"engine check: the .grad of all {len(shown)} nodes that received a "
                                 "gradient agrees ✓"]))
        else:
            v = g.order[bad[0]]
            blocks.append(Line([f"engine check: {len(bad)} of {len(shown)} nodes differ ✗, first ", g.name(v),
                                 ": engine ", g.number(v.grad), ", here ", g.number(grads[bad[0]]),
                                 " (leaf gradients add up over backward() calls: call zero_grad() before backward())"]))
    blocks.extend(kink_lines(g, (v for v, relevant in zip(g.order, flags) if relevant)))
    blocks.extend(g.legend(named))
    value = grads[g.index[id(wrt)]] if wrt is not None else root.data
    return Explanation("trace", value, blocks, steps=trace_steps)
