"""From what a view selected (select.py: items and edges; diagram.py: bias nodes) to what the
picture holds: `Box`es with their labels and colours, `Link`s with the label written on each, and
the group titles, ready for scene.emit."""

from __future__ import annotations

from dataclasses import dataclass

from autograd.drawing.diagram import BiasNode, circle_label, constant_text, loss_label, weight_label
from autograd.drawing.names import NodeNames
from autograd.drawing.scene import Box, Link
from autograd.drawing.select import Edge, Item, PerNode, linear_roles
from autograd.drawing.style import BORDER, DIM_BORDER, DIM_FILL, FILL, TEXT, edge_label, escape, font, node_label
from autograd.value import Value


@dataclass
class Look:
    """How a drawing writes its boxes and labels: the view and the options `draw` was given."""

    view: str
    names: NodeNames
    root: Value
    show_formulas: bool
    values: bool
    grads: bool
    colour_of: dict  # id(highlighted Value) -> its colour

    @property
    def highlighted(self) -> bool:
        return bool(self.colour_of)


def boxes(look: Look, items: list[Item], edges: list[Edge], biases: list[BiasNode], index: dict) -> list[Box]:
    """The picture's nodes, in topological order: the bias nodes (diagram), then one per item."""
    out = [Box(b.dot_id, f'<{font("bias", TEXT, f"<B>{escape(constant_text(look.names, b.value))}</B>")}>',
               {"shape": "circle", "fillcolor": FILL["leaf"], "color": DIM_BORDER if look.highlighted else BORDER,
                "margin": "0.02"}, anchor=-1.0) for b in biases]
    drawn = {id(m) for item in items for m in item.members}
    on_edges = {id(w) for e in edges for w in e.weights}
    uses: dict[int, list[Edge]] = {}
    for e in edges:
        uses.setdefault(id(e.tail), []).append(e)
    inputs_of = PerNode(input_ids)
    same_attrs: dict[tuple, dict] = {}
    for item in items:
        colour = item.colours[0] if item.colours else None
        dim = look.highlighted and not item.colours
        kind = "unit" if len(item.members) > 1 else ("root" if item.rep is look.root else ("op" if item.rep.op else "leaf"))
        attrs = {"fillcolor": DIM_FILL if dim else FILL[kind],
                 "color": DIM_BORDER if dim else (":".join(item.colours) if item.colours else BORDER)}
        if item.colours:
            attrs["penwidth"] = "2.6"
        if look.view == "diagram" and item.rep is look.root:
            label = loss_label(item, look.names, look.values, colour, dim)
        elif look.view == "diagram":
            label = circle_label(item, look.names, look.values, look.grads, colour, dim)
            attrs.update(shape="circle", margin="0.02")
        else:
            params = tuple(p for p in item.params if id(p) not in on_edges)
            unit = look.view == "neurons" and item.members[0].op == "linear"
            # the full view draws every node, so no argument is hidden there
            hidden = not unit and look.view != "full" and any(id(p) not in drawn for p in item.rep.parents)
            label = node_label(item, look.names, look.show_formulas, colour, dim, params, hidden, unit)
        attached = attached_leaf(item, uses.get(id(item), []), inputs_of)
        attrs = same_attrs.setdefault(tuple(attrs.items()), attrs)  # one dict per look, not per box
        out.append(Box(item.dot_id, label, attrs, anchor=None if attached else index[id(item.rep)]))
    return out


def links(look: Look, edges: list[Edge], biases: list[BiasNode]) -> list[Link]:
    """The picture's edges with their labels: a bias weight from its "+1", then every edge."""
    out = []
    for b in biases:
        for unit, weight in b.weights:
            colours = (look.colour_of[id(weight)],) if id(weight) in look.colour_of else ()
            dim = look.highlighted and not colours
            label = weight_label([weight], look.names, look.values, look.grads, colours[0] if colours else None, dim)
            out.append(Link(b.dot_id, unit.dot_id, label, colours, dim))
    for e in edges:
        colour = e.colours[0] if e.colours else None
        dim = look.highlighted and not e.colours
        if look.view == "diagram":
            label = weight_label(e.weights, look.names, look.values, look.grads, colour, dim)
        else:
            label = edge_label(e, look.names, look.show_formulas, look.view, colour, dim, look.colour_of)
        out.append(Link(e.tail.dot_id, e.head.dot_id, label, e.colours, dim))  # the edge's colours are final now
    return out


def titles(groups, group_of: dict[int, int], items: list[Item]) -> list[tuple[str, str]]:
    """``(title, id of the box it stands over)`` per group: its first computed box (its first box,
    for a group of leaves); a group whose nodes the view hides gets no title, and groups that share
    a box (a last unit that computes the loss too) share one title, "layer 3 · loss"."""
    over: dict[str, list[str]] = {}
    for g_index, title in enumerate(list(groups) if groups else []):
        members = [item for item in items if g_index in item_groups(item, group_of)]
        if members:
            computed = [item for item in members if item.rep.parents]
            over.setdefault((computed or members)[0].dot_id, []).append(title)
    return [(" · ".join(names), dot_id) for dot_id, names in over.items()]


def item_groups(item: Item, group_of: dict[int, int]) -> set[int]:
    """The groups listing any Value a box stands for."""
    return {group_of[id(v)] for v in (item.rep,) + item.members + item.params if id(v) in group_of}


def attached_leaf(item: Item, uses: list[Edge], inputs_of: PerNode) -> bool:
    """A leaf that only feeds one box (``uses``: the edges out of it) as its weight or bias, not as
    an input: it may move next to that box, where the reader looks for it; inputs and everything
    else keep their index order. ``inputs_of`` is ``PerNode(input_ids)``, shared by one drawing."""
    rep = item.rep
    if rep.parents or len(item.members) > 1 or len({id(e.head) for e in uses}) != 1:
        return False
    head = uses[0].head.members[0]
    if head.op != "linear":
        return False
    return id(rep) not in inputs_of(head)


def input_ids(linear_node: Value) -> set[int]:
    """The ids of the Values a linear node takes as inputs (not as weights or bias)."""
    return {id(p) for p, role in zip(linear_node.parents, linear_roles(linear_node)) if role == "input"}
