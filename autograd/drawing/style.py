"""How a drawing looks: the font, the colours, and the HTML-like labels of boxes and edges
(graphviz's markup, every user string escaped)."""

from __future__ import annotations

import html
import re

from autograd.drawing.names import NodeNames, rule_of
from autograd.drawing.select import Edge, Item
from autograd.value import Value

FONT = "DejaVu Sans"  # has W¹₂₁, ŷ, ℓ, ∂, σ′, ⊙ and the minus sign

# Colours of a drawing without highlight, and of the dimmed part of a highlighted one.
FILL = {"leaf": "#fff4d6", "op": "#eaf1fb", "root": "#fde3e1", "unit": "#eaf1fb"}
BORDER = "#4d4d4d"
EDGE = "#555555"
TEXT = "#1a1a1a"
GRAD = "#6b3fa0"  # grads in one colour, so the eye finds them
DIM_FILL, DIM_BORDER, DIM_TEXT = "#f7f7f7", "#c4c4c4", "#8f8f8f"
SYMBOL = "#1f4e8c"  # an operation's symbol (σ, Σwx)

# Font sizes in points. A PNG at the default 144 dpi (dot.DEFAULT_DPI) draws a point as 2 pixels, so
# the smallest size here is well above 13 pixels; together with the layout they keep every built-in
# problem's picture within 2400 × 2400 pixels (tests/test_pictures.py measures both).
# Whole points: graphviz renders an HTML label's size in whole points.
SIZES = {"name": 13, "symbol": 11, "number": 10, "formula": 9, "note": 8, "edge": 9, "edge on path": 10,
         "caption": 12, "title": 13, "circle name": 15, "circle number": 12, "bias": 14}


def font(kind: str, colour: str, body: str) -> str:
    """Markup ``body`` (already escaped) in the size of ``kind`` (see `SIZES`) and ``colour``."""
    return f'<FONT POINT-SIZE="{SIZES[kind]}" COLOR="{colour}">{body}</FONT>'


# The control characters (Unicode category Cc): C0, DEL and C1; and everything escape changes.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_ESCAPED = re.compile("[&<>\"'\x00-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """Text safe inside a graphviz HTML-like label: markup escaped, control characters replaced."""
    if not _ESCAPED.search(text):
        return text  # most text (names, numbers) has nothing to escape
    return html.escape(_CONTROL.sub("\ufffd", text), quote=True)


def value_cells(v: Value, names: NodeNames, show_formulas: bool, colour: str | None, dim: bool,
                show_op: bool = True, inputs_hidden: bool = False) -> list[str]:
    """The rows of one Value: name and operation symbol, formula, data, grad.

    ``inputs_hidden``: the node's own arguments are not drawn (collapsed into its edges), so its
    last operation's symbol would mislead (ℓ = 0.5·(1 − ŷ)² is not "×"): its formula is written
    instead, whether or not formulas are asked for.
    """
    text = DIM_TEXT if dim else TEXT
    grad_colour = DIM_TEXT if dim else GRAD
    rows = []
    header = []
    if v.label or id(v) in names.short:
        style = ("<B>", "</B>") if v.label else ("<I>", "</I>")
        header.append(font("name", colour or text, f"{style[0]}{escape(names(v))}{style[1]}"))
    if v.op and show_op and not inputs_hidden:
        header.append(font("symbol", DIM_TEXT if dim else SYMBOL, escape(rule_of(v).symbol)))
    if header:
        rows.append("  ".join(header))
    if (show_formulas or inputs_hidden) and v.op:
        formula = rule_of(v).expression(names.arguments(v))
        rows.append(font("formula", text, f"= {escape(formula)}"))
    rows.append(font("number", text, f"data {escape(names.number(v.data))}"))
    rows.append(font("number", grad_colour, f"grad {escape(names.number(v.grad))}"))
    return rows


def rows_table(rows: list[str]) -> str:
    """Rows of markup stacked in one HTML-like label."""
    return html_table(rows)


def html_table(rows: list[str]) -> str:
    body = "".join([f"<TR><TD>{r}</TD></TR>" for r in rows])
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{body}</TABLE>>'


def node_label(item: Item, names: NodeNames, show_formulas: bool, colour: str | None, dim: bool,
               params: tuple = (), inputs_hidden: bool = False, unit: bool = False) -> str:
    """A box: one Value's rows, or (``unit``) a unit's members one row each — name, data, grad —
    with the activation's formula and ``params`` (the weights not written on any edge, such as a
    bias) underneath. A unit's weighted sum is not written out: its weights are on its edges."""
    if not unit:
        return html_table(value_cells(item.rep, names, show_formulas, colour, dim, inputs_hidden=inputs_hidden))
    # a unit: one row per shown member (its pre-activation, named steps, its output): name, data, grad
    text = DIM_TEXT if dim else TEXT
    shown = [m for m in item.members if m is item.members[0] or m is item.rep or m.label]
    cell = '<TD ALIGN="LEFT" CELLPADDING="2">'  # numbers of two columns must not run together
    rows = [f'<TR><TD></TD>{cell}{font("note", DIM_TEXT, "data")}</TD>{cell}{font("note", DIM_TEXT, "grad")}</TD></TR>']
    for m in shown:
        name = font("name", colour or text, f"<B>{escape(names(m))}</B>")
        if m.op:
            name += " " + font("symbol", DIM_TEXT if dim else SYMBOL, escape(rule_of(m).symbol))
        rows.append(f'<TR><TD ALIGN="LEFT">{name}</TD>'
                    f'{cell}{font("number", text, escape(names.number(m.data)))}</TD>'
                    f'{cell}{font("number", DIM_TEXT if dim else GRAD, escape(names.number(m.grad)))}</TD></TR>')
    small = []
    if show_formulas:  # the pre-activation's formula is the weights on the edges; the rest is written
        small += [f"{names(m)} = {rule_of(m).expression(names.arguments(m))}" for m in shown[1:]]
    if params:
        small.append(", ".join(f"{names(p)} = {names.number(p.data)}" for p in params))
    rows += [f'<TR><TD COLSPAN="3" ALIGN="LEFT">{font("formula", text, escape(line))}</TD></TR>'
             for line in small]
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>>'


_ONE_LINE = 18  # a partial written longer than this goes on two lines: its formula, then "= number"


def edge_label(edge: Edge, names: NodeNames, show_formulas: bool, view: str, colour: str | None,
               dim: bool, weight_colours: dict | None = None) -> str:
    """The label on an edge: the weights on it (neuron view), the partial's name where the edge is
    highlighted (to match the caption), its formula and its number; short lines, so that the
    column of labels between two columns of boxes stays narrow."""
    number = names.number(edge.partial)
    formula = edge.formula if show_formulas and edge.formula not in (None, number) else None
    text = DIM_TEXT if dim else TEXT
    if not (edge.weights or colour or formula) and (edge.routes == 1 or view == "neurons"):
        return f"<{font('edge', text, escape(number))}>"  # most edges: the number alone, as below
    lines = []  # (text, bold, colour)
    marked = [weight_colours[id(w)] for w in edge.weights if weight_colours and id(w) in weight_colours]
    if len(edge.weights) == 1 and formula == names(edge.weights[0]):
        formula = None  # ∂z/∂h is the weight itself, written just above
    if edge.weights:  # a highlighted weight is marked in its colour where it sits, on its edge
        lines.append((", ".join(f"{names(w)} = {names.number(w.data)}" for w in edge.weights), bool(marked),
                      marked[0] if marked else None))
    if colour:  # on a highlighted path the factor is named, so it can be matched with the caption
        lines.append((f"{names.d(edge.head.rep)}/{names.d(edge.tail_value)}", True, None))
    prefix = "= " if colour else ("∂ = " if view == "neurons" and edge.weights else "")
    if edge.weights and not formula and not colour and edge.partial == edge.weights[0].data:
        prefix = None  # the partial is the weight, shown just above
    if prefix is None:
        pass
    elif formula and len(prefix + formula + number) + 3 > _ONE_LINE:
        lines += [(prefix + formula, bool(colour), None), (f"= {number}", bool(colour), None)]
    else:
        lines.append((prefix + (f"{formula} = {number}" if formula else number), bool(colour), None))
    if edge.routes > 1 and view != "neurons":  # in a unit's box the routes are the unit's own business
        lines.append((f"(sum of {edge.routes} routes)", False, None))
    size = "edge on path" if colour else "edge"
    rows = []
    for line, bold, own in lines:
        body = f"<B>{escape(line)}</B>" if bold else escape(line)
        rows.append(font(size, own or colour or text, body))
    if len(rows) == 1:
        return f"<{rows[0]}>"
    return html_table(rows)
