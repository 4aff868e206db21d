"""The network diagram a problem sheet asks for: one circle per input and unit, a "+1" bias node per
layer where the bias is the first row of W (α = Wᵀ[1; x]), or the bias written at the unit
(z = Wx + b), and every weight written on its edge.

Everything is read from the graph, never from a network object: a unit is an `autograd.linear`
node with its activation (select.find_units); its layer is one more than the deepest unit feeding
it; a constant among a linear node's inputs (the 1 of a bias row) makes a "+1" node; a linear
node's trailing bias argument is written at the unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd.drawing.names import NodeNames, rule_of
from autograd.drawing.select import Edge, Item, linear_roles
from autograd.drawing.style import DIM_TEXT, GRAD, TEXT, escape, font, rows_table
from autograd.value import Value


@dataclass
class BiasNode:
    """The constant input ``value`` (1 for a bias row) of the units of one layer."""

    value: float
    layer: int
    dot_id: str = ""
    weights: list = field(default_factory=list)  # (unit Item, weight Value), top to bottom


def folded_constants(linear_node: Value) -> list[tuple[Value, float]]:
    """``(weight, constant)`` for each constant input of a linear node (the 1 of a bias row)."""
    if linear_node.op != "linear" or linear_node.consts is None:
        return []
    parents = iter(linear_node.parents)
    full = [next(parents) if c is None else c for c in linear_node.consts]
    n = len(full) // 2
    return [(full[k - n], float(full[k])) for k in range(n, 2 * n)
            if not isinstance(full[k], Value) and isinstance(full[k - n], Value)]


def bias_argument(linear_node: Value):
    """A linear node's separate bias (z = Wx + b): its Value, its number, or None."""
    if linear_node.op != "linear":
        return None
    count = len(linear_node.consts) if linear_node.consts is not None else len(linear_node.parents)
    if count % 2 == 0:
        return None
    if linear_node.consts is not None and linear_node.consts[-1] is not None:
        return float(linear_node.consts[-1])
    return linear_node.parents[linear_roles(linear_node).index("bias")]


def layers_of(items: list[Item], edges: list[Edge]) -> dict[int, int]:
    """id(item) -> its layer: 0 for an input, one more than the deepest unit feeding a unit."""
    layer: dict[int, int] = {}
    feeding: dict[int, list[Item]] = {}
    for e in edges:
        feeding.setdefault(id(e.head), []).append(e.tail)
    for item in items:  # topological order
        below = [layer[id(t)] for t in feeding.get(id(item), ())]
        layer[id(item)] = (max(below) + 1 if item.members[0].op == "linear" else max(below)) if below else 0
    return layer


def bias_nodes(units: list[Item], layer: dict[int, int]) -> list[BiasNode]:
    """One node per layer and constant, feeding every unit of that layer that has that constant input."""
    nodes: dict[tuple[int, float], BiasNode] = {}
    for unit in units:
        for weight, constant in folded_constants(unit.members[0]):
            key = (layer[id(unit)], constant)
            node = nodes.setdefault(key, BiasNode(constant, key[0]))
            node.weights.append((unit, weight))
    return list(nodes.values())


def constant_text(names: NodeNames, c: float) -> str:
    text = names.number(c)
    return text if text.startswith("−") else "+" + text


def circle_label(item: Item, names: NodeNames, values: bool, grads: bool, colour: str | None, dim: bool) -> str:
    """A unit's or an input's circle: its name, its value, and small underneath the pre-activation
    (the value passed into the unit) or, without values, the formula; a bias written at the unit."""
    text = DIM_TEXT if dim else TEXT
    v = item.rep
    rows = [font("circle name", colour or text, f"<B>{escape(names(v))}</B>")]
    if values:
        rows.append(font("circle number", text, escape(names.number(v.data))))
    pre = item.members[0]
    small = []
    if pre is not v and pre.label:
        small.append(f"{names(pre)} = {names.number(pre.data)}" if values else
                     rule_of(v).expression([names(pre)]) if len(v.parents) == 1 and v.parents[0] is pre else names(pre))
    elif v.op and v.op != "linear":
        small.append(rule_of(v).symbol)  # softmax: its arguments are the edges coming in
    bias = bias_argument(pre)
    if bias is not None:
        name = names(bias) if isinstance(bias, Value) else names.number(bias)
        small.append(f"+ {name} = {names.number(bias.data)}" if values and isinstance(bias, Value) else f"+ {name}")
    rows += [font("formula", text, escape(s)) for s in small]
    if grads:
        rows.append(font("formula", DIM_TEXT if dim else GRAD, f"grad {escape(names.number(v.grad))}"))
    return rows_table(rows)


def loss_label(item: Item, names: NodeNames, values: bool, colour: str | None, dim: bool) -> str:
    """The root's box: its name and formula (ℓ = 0.5·(1 − ŷ)²) and its value."""
    text = DIM_TEXT if dim else TEXT
    v = item.rep
    formula = rule_of(v).expression(names.arguments(v)) if v.op else ""
    head = f"{names(v)} = {formula}" if formula else names(v)
    rows = [font("name", colour or text, f"<B>{escape(head)}</B>")]
    if values:
        rows.append(font("circle number", text, escape(names.number(v.data))))
    return rows_table(rows)


def weight_label(weights, names: NodeNames, values: bool, grads: bool, colour: str | None, dim: bool) -> str | None:
    """The label on an edge: each weight on it, with its value, and its gradient on request."""
    if not weights:
        return None
    text = DIM_TEXT if dim else TEXT
    line = ", ".join(f"{names(w)} = {names.number(w.data)}" if values else names(w) for w in weights)
    body = f"<B>{escape(line)}</B>" if colour else escape(line)
    rows = [font("edge on path", colour or text, body)]
    if grads:
        shown = ", ".join(names.number(w.grad) for w in weights)
        rows.append(font("edge", DIM_TEXT if dim else GRAD, f"grad {escape(shown)}"))
    return rows_table(rows)


def legend(biases: list[BiasNode], units: list[Item], names: NodeNames) -> list[str]:
    """One line saying how the weights are laid out, with an example read off the picture."""
    if biases:
        last = biases[-1]
        unit, weight = last.weights[0]
        one = constant_text(names, last.value)
        lines = [f"{one}: each layer's bias input; row 1 of each weight matrix, as printed, multiplies it.",
                 f"So {names(weight)} is on the edge from {one} into {names(unit.rep)}"]
        first_input = _first_input_weight(unit.members[0])
        if first_input is not None:
            w, x = first_input
            lines[-1] += f", and {names(w)} (not {names(weight)}) on the edge from {names(x)}"
        lines[-1] += "."
        return lines
    if any(bias_argument(u.members[0]) is not None for u in units):
        return ["each unit's bias is written in its circle (z = Wx + b)"]
    return []


def _first_input_weight(linear_node: Value):
    """(weight, input) of a linear node's first input that is a Value, or None."""
    parents = iter(linear_node.parents)
    full = [next(parents) if c is None else c for c in linear_node.consts] if linear_node.consts is not None \
        else list(linear_node.parents)
    n = len(full) // 2
    for k in range(n, 2 * n):
        if isinstance(full[k], Value) and isinstance(full[k - n], Value):
            return full[k - n], full[k]
    return None
