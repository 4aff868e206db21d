"""What a drawing shows: its boxes (one per node, or one per unit in the neuron and diagram views)
and its edges (one per argument slot, or one per drawn ancestor reached through hidden nodes,
carrying the product of the partials along the way), decided from the graph before any graphviz
call; and the groups a drawing's titles come from.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from autograd.derive.formula import product_text
from autograd.drawing.names import NodeNames, argument_positions
from autograd.graph import topological_order
from autograd.value import Value

VIEWS = ("full", "collapsed", "neurons", "diagram")
DEFAULT_MAX_NODES = 150
_LONGEST_PRODUCT = 8  # an edge through more hidden nodes shows its number only


@dataclass(slots=True)  # one per box or edge: a big picture has tens of thousands
class Item:
    """One box: the Value it shows (``rep``) and every Value it stands for."""

    rep: Value
    members: tuple  # a unit: its linear node ... its activation; otherwise (rep,)
    params: tuple = ()  # a unit's weights and bias (drawn inside it, not as boxes)
    dot_id: str = ""
    colours: tuple = ()  # highlight colours whose paths pass through it


@dataclass(slots=True)  # one per box or edge: a big picture has tens of thousands
class Edge:
    tail: Item
    head: Item
    tail_value: Value  # the Value the partial is taken with respect to
    partial: float
    formula: str | None  # None when the routes through hidden nodes are several
    routes: int = 1
    weights: tuple = ()  # neuron view: the weights on this connection
    colours: tuple = ()  # highlight colours whose paths pass through it


def consumers_of(order: list[Value]) -> dict[int, list[tuple[Value, int]]]:
    out: dict[int, list[tuple[Value, int]]] = {}
    for v in order:
        for slot, p in enumerate(v.parents):
            out.setdefault(id(p), []).append((v, slot))
    return out


def linear_roles(v: Value) -> list[str]:
    """For a ``linear`` node, each parent's role: 'weight', 'input' or 'bias' (args are w…, x…, [b])."""
    count = len(v.consts) if v.consts is not None else len(v.parents)
    n = count // 2
    return ["weight" if k < n else ("input" if k < 2 * n else "bias") for k in argument_positions(v)]


class PerNode:
    """``f(v)`` made once per node for the length of one drawing: every edge into a unit asks about
    the same linear node, and working it out per edge would cost the unit's width each time."""

    def __init__(self, f) -> None:
        self._f = f
        self._made: dict[int, object] = {}

    def __call__(self, v: Value):
        made = self._made.get(id(v))
        if made is None:
            made = self._made[id(v)] = self._f(v)
        return made


def find_units(order, index, consumers, root) -> list[Item]:
    """The neurons: each ``linear`` node with its activation — the nodes computed from it alone up
    to the first named node (σ(α) named β, or relu(z) + sin(z) named h). Without such a named node
    (an output with no activation, whose next steps are the loss's), the unit is the linear node
    alone; the root is never part of a unit, so the loss keeps a box of its own."""
    units = []
    for v in order:
        if v.op != "linear":
            continue
        members = {id(v): v}
        heap = [(index[id(v)], v)]
        ends = []
        while heap:
            _, m = heapq.heappop(heap)
            if m is not v and m.label:
                ends.append(m)
                continue  # a named activation ends the unit
            for c, _slot in consumers.get(id(m), ()):
                if c is not root and id(c) not in members and all(id(p) in members for p in c.parents):
                    members[id(c)] = c
                    heapq.heappush(heap, (index[id(c)], c))
        inside = {id(v): v}
        if ends:  # the linear node, the named end and what lies between them
            stack = [min(ends, key=lambda m: index[id(m)])]
            while stack:
                m = stack.pop()
                if id(m) not in inside:
                    inside[id(m)] = m
                    stack += [p for p in m.parents if id(p) in members]
        ordered = tuple(sorted(inside.values(), key=lambda m: index[id(m)]))
        params = tuple(p for p, role in zip(v.parents, linear_roles(v)) if role != "input" and not p.parents)
        units.append(Item(rep=ordered[-1], members=ordered, params=params))
    return units


def items_of(view, order, index, consumers, root, sources) -> list[Item]:
    """The boxes of a view, in topological order of the Value each one shows. ``consumers`` is
    `consumers_of` the order; only the unit views read it (None will do for the others)."""
    source_ids = {id(s) for s in sources}
    if view == "full":
        return [Item(v, (v,)) for v in order]
    if view == "collapsed":
        return [Item(v, (v,)) for v in order
                if not v.parents or v.label or v is root or id(v) in source_ids]
    units = find_units(order, index, consumers, root)
    if not units:
        raise ValueError(f"view={view!r} draws the units of a network built with autograd.linear (as nn "
                         "builds them), and this graph has no linear node: use view='full' or "
                         "view='collapsed'")
    in_unit = {id(m) for u in units for m in u.members}
    params = {id(p) for u in units for p in u.params}
    items = list(units)
    for v in order:
        if id(v) in in_unit or id(v) in params:
            continue
        if not v.parents or v.label or v is root or id(v) in source_ids:
            items.append(Item(v, (v,)))
    items.sort(key=lambda item: index[id(item.rep)])
    return items


def edges_into(head: Item, item_of: dict, index: dict, names: NodeNames, formulas: bool = True) -> list[Edge]:
    """The edges ending at ``head``: one per argument slot for an argument that is drawn, and one per
    drawn ancestor reached through hidden nodes, carrying the sum over routes of the products of
    the partials along them (the chain rule, restricted to what lies between the two boxes).
    ``formulas=False`` leaves every edge's formula out (None), for a picture that shows none."""
    rep = head.rep
    direct: list[Edge] = []
    routed: dict[int, list] = {}  # id(tail value) -> [value, partial, factors or None, routes]
    hidden: dict[int, list] = {}  # id(hidden node) -> [node, ∂rep/∂node, factors or None, routes]
    heap: list = []

    def reach(child: Value, slot: int, upstream: float, factors, routes: int) -> None:
        p = child.parents[slot]
        d = upstream * child.partials[slot]
        # a route's formula is kept while it is short enough to read (and to copy along the way)
        f = factors + [names.partial(child, slot)] if factors is not None and len(factors) < _LONGEST_PRODUCT else None
        owner = item_of.get(id(p))
        if owner is not None and owner is not head:
            if child is rep:
                direct.append(Edge(owner, head, p, d, f[0] if f else None))
                return
            target = routed
        elif not p.parents:
            return  # a hidden leaf (a unit's weight): it is drawn inside its unit, not as an edge
        else:
            target = hidden
        entry = target.get(id(p))
        if entry is None:
            target[id(p)] = [p, d, f, routes]
            if target is hidden:
                heapq.heappush(heap, (-index[id(p)], id(p)))
        else:  # a second route into the same node: the partials add up, one formula no longer says it
            entry[1] += d
            entry[2] = None
            entry[3] += routes

    for slot in range(len(rep.parents)):
        reach(rep, slot, 1.0, [] if formulas else None, 1)
    while heap:  # latest node first: all routes into a hidden node are summed before it is expanded
        _, key = heapq.heappop(heap)
        node, d, f, routes = hidden.pop(key)
        for slot in range(len(node.parents)):
            reach(node, slot, d, f, routes)
    edges = direct
    for value, d, f, routes in sorted(routed.values(), key=lambda e: index[id(e[0])]):
        edges.append(Edge(item_of[id(value)], head, value, d, product_text(f) if f is not None else None, routes))
    return edges


def neuron_weights(edge: Edge, weights_by_input: PerNode) -> tuple:
    """The weights of a unit that multiply the edge's tail (shown on the connection, as in class).
    ``weights_by_input`` is ``PerNode(weights_by_input)``, shared by the edges of one drawing."""
    linear_node = edge.head.members[0]
    if linear_node.op != "linear":
        return ()
    return weights_by_input(linear_node).get(id(edge.tail_value), ())


def weights_by_input(linear_node: Value) -> dict[int, tuple]:
    """id(input Value) -> the weights of a linear node that multiply it, in argument order."""
    weight_ids = {id(p) for p, r in zip(linear_node.parents, linear_roles(linear_node)) if r == "weight"}
    args = list(linear_node.consts) if linear_node.consts is not None else [None] * len(linear_node.parents)
    parents = iter(linear_node.parents)
    full = [next(parents) if a is None else a for a in args]
    n = len(full) // 2
    found: dict[int, list] = {}
    for k in range(n, 2 * n):
        w = full[k - n]
        if isinstance(w, Value) and id(w) in weight_ids:
            found.setdefault(id(full[k]), []).append(w)
    return {key: tuple(ws) for key, ws in found.items()}


def group_index(groups) -> dict[int, int]:
    """id(Value) -> position of its group, checking the shape {title: [Values]}."""
    if groups is None:
        return {}
    if not isinstance(groups, Mapping):
        raise TypeError(f"groups must be a dict {{title: [Values]}} such as net.graph_groups(), "
                        f"got {type(groups).__name__}")
    out: dict[int, int] = {}
    titles = list(groups)
    for k, (title, values) in enumerate(groups.items()):
        if not isinstance(title, str):
            raise TypeError(f"group titles must be str, got {title!r}")
        if isinstance(values, Value) or not isinstance(values, Iterable):
            raise TypeError(f"group {title!r} must list Values, got {type(values).__name__}")
        for v in values:
            if not isinstance(v, Value):
                raise TypeError(f"group {title!r} must list Values, got {type(v).__name__}: {v!r}")
            if id(v) in out and out[id(v)] != k:
                raise ValueError(f"{v!r} is in two groups, {titles[out[id(v)]]!r} and {title!r}: a node "
                                 f"can be drawn in one box only")
            out[id(v)] = k
    return out


def too_large(count, view, max_nodes, order, index, consumers, root, sources) -> str:
    hints = []
    for other in VIEWS:
        if other in (view, "full", "diagram"):
            continue
        try:
            n = len(items_of(other, order, index, consumers, root, sources))
        except ValueError:
            continue  # no neuron view for a graph without linear nodes
        what = "hides unnamed intermediate nodes" if other == "collapsed" else "one box per unit"
        if n < count:
            hints.append(f"view={other!r} ({what}: {n} nodes)")
    hint = f"use {' or '.join(hints)}, " if hints else "name fewer intermediate nodes, "
    return (f"the drawing would have {count} nodes in view={view!r}, more than max_nodes={max_nodes}, and a "
            f"picture that large cannot be read: {hint}draw a smaller part of the graph (pass an "
            f"intermediate node as the root), or pass max_nodes={count} to draw it anyway")


def box_count(root: Value, view: str) -> int:
    """How many boxes (circles, in the diagram) a drawing of ``root``'s graph in ``view`` has,
    without drawing it: what ``draw``'s ``max_nodes`` is compared with.

    Raises:
        ValueError: an unknown view, or a unit view of a graph without linear nodes.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(map(repr, VIEWS))}, got {view!r}")
    order = topological_order(root)
    index = {id(v): i for i, v in enumerate(order)}
    return len(items_of(view, order, index, consumers_of(order), root, []))
