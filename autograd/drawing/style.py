"""How a drawing looks: the font, the colours, and the HTML-like labels of boxes and edges
(graphviz's markup, every user string escaped)."""

from __future__ import annotations

import html
import unicodedata

from autograd.drawing.names import NodeNames, rule_of
from autograd.drawing.select import Edge, Item
from autograd.value import Value

FONT = "DejaVu Sans"  # has W¹₂₁, ŷ, ℓ, ∂, σ′, ⊙ and the minus sign

# Colours of a drawing without highlight, and of the dimmed part of a highlighted one.
FILL = {"leaf": "#fff4d6", "op": "#eaf1fb", "root": "#fde3e1", "unit": "#eaf1fb"}
BORDER = "#4d4d4d"
TEXT = "#1a1a1a"
GRAD = "#6b3fa0"  # grads in one colour, so the eye finds them
DIM_FILL, DIM_BORDER, DIM_TEXT = "#f7f7f7", "#c4c4c4", "#8f8f8f"


def escape(text: str) -> str:
    """Text safe inside a graphviz HTML-like label: markup escaped, control characters replaced."""
    clean = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text)
    return html.escape(clean, quote=True)


def value_cells(v: Value, names: NodeNames, show_formulas: bool, colour: str | None, dim: bool,
                 show_op: bool = True) -> list[str]:
    """The rows of one Value: name and operation symbol, formula, data, grad."""
    text = DIM_TEXT if dim else TEXT
    grad_colour = DIM_TEXT if dim else GRAD
    rows = []
    header = []
    if v.label or id(v) in names.short:
        style = ("<B>", "</B>") if v.label else ("<I>", "</I>")
        header.append(f'<FONT POINT-SIZE="16" COLOR="{colour or text}">{style[0]}{escape(names(v))}{style[1]}</FONT>')
    if v.op and show_op:
        header.append(f'<FONT POINT-SIZE="13" COLOR="{DIM_TEXT if dim else "#1f4e8c"}">{escape(rule_of(v).symbol)}</FONT>')
    if header:
        rows.append("  ".join(header))
    if show_formulas and v.op:
        formula = rule_of(v).expression(names.arguments(v))
        rows.append(f'<FONT POINT-SIZE="11" COLOR="{text}">= {escape(formula)}</FONT>')
    rows.append(f'<FONT POINT-SIZE="12" COLOR="{text}">data {escape(names.number(v.data))}</FONT>')
    rows.append(f'<FONT POINT-SIZE="12" COLOR="{grad_colour}">grad {escape(names.number(v.grad))}</FONT>')
    return rows


def html_table(rows: list[str]) -> str:
    body = "".join(f"<TR><TD>{r}</TD></TR>" for r in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{body}</TABLE>>'


def node_label(item: Item, names: NodeNames, show_formulas: bool, colour: str | None, dim: bool) -> str:
    if len(item.members) == 1:
        return html_table(value_cells(item.rep, names, show_formulas, colour, dim))
    # a unit: one column per shown member (its pre-activation, named steps, its output)
    shown = [m for m in item.members if m is item.members[0] or m is item.rep or m.label]
    columns = []
    for m in shown:
        cells = "".join(f"<TR><TD>{r}</TD></TR>" for r in value_cells(m, names, show_formulas, colour, dim))
        columns.append(f'<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE></TD>')
    arrow = f'<TD VALIGN="MIDDLE"><FONT COLOR="{DIM_TEXT if dim else TEXT}">→</FONT></TD>'
    row = arrow.join(columns)
    rows = f"<TR>{row}</TR>"
    if item.params:
        text = ", ".join(f"{names(p)} = {names.number(p.data)}" for p in item.params)
        span = 2 * len(columns) - 1
        rows += (f'<TR><TD COLSPAN="{span}"><FONT POINT-SIZE="10" COLOR="{DIM_TEXT if dim else "#555555"}">'
                 f"{escape(text)}</FONT></TD></TR>")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>>'


def edge_label(edge: Edge, names: NodeNames, show_formulas: bool, view: str, colour: str | None,
                dim: bool) -> str:
    number = names.number(edge.partial)
    formula = edge.formula if show_formulas and edge.formula not in (None, number) else None
    text = DIM_TEXT if dim else TEXT
    lines = []
    if edge.weights:
        lines.append(", ".join(f"{names(w)} = {names.number(w.data)}" for w in edge.weights))
    value = f"{formula} = {number}" if formula else number
    if colour:  # on a highlighted path the factor is named, so it can be matched with the caption
        value = f"{names.d(edge.head.rep)}/{names.d(edge.tail_value)} = {value}"
    if edge.routes > 1:
        value += f"  (sum of {edge.routes} routes)"
    if view == "neurons" and not colour and edge.weights:
        value = f"∂ = {value}"
    lines.append(value)
    size = "12" if colour else "11"
    rows = []
    for k, line in enumerate(lines):
        body = escape(line)
        if colour and k == len(lines) - 1:
            body = f"<B>{body}</B>"
        rows.append(f'<FONT POINT-SIZE="{size}" COLOR="{colour or text}">{body}</FONT>')
    if len(rows) == 1:
        return f"<{rows[0]}>"
    return html_table(rows)
