"""Drawings of a recorded graph: graphviz pictures whose edges carry the local partials.

`draw` reads the graph behind a root Value (it never changes a node) and returns a `Drawing`, which
*is* a ``graphviz.Digraph``: ``.source`` is the DOT text, ``render_to("graph.png")`` renders it, and in
Jupyter it displays inline. Every value node shows its name, data and grad; a node made by an
operation also shows the operation's symbol from the rule table (σ, Σwx, ×, …). Every edge goes from
an argument to the node computed from it and is labelled with the local partial ∂out/∂in; ``a*a``
has two edges, one per argument slot.

- ``highlight=W``: every path from ``W`` to the root in colour, the rest dimmed, and a caption with
  the chain product ∂ℓ/∂ŷ · ∂ŷ/∂α² · … = number (one term per path, summed, when there are several).
- ``view="collapsed"`` hides unnamed intermediate nodes (an edge then carries the product of the
  partials through them); ``view="neurons"`` draws each unit (an `autograd.linear` node and its
  activation) as one node; ``groups={"layer 1": [...], ...}`` puts nodes in one box per group.
- ``max_nodes`` refuses a drawing that would be an unreadable poster and says which view to use.

Building DOT text needs only the ``graphviz`` Python package, imported when a drawing is made (the
engine works without it). Rendering needs graphviz's ``dot`` program; without it `RenderError`
names the install command. Node ids are ``n0``, ``n1``, … in topological order, so the same program
gives the same DOT text.

>>> from autograd import Value
>>> x = Value(3.0, "x"); y = (x * x).named("y"); y.backward()
>>> d = draw(y)
>>> d.node_id(x), d.node_id(y)
('n0', 'n1')
>>> d.edge_partials()  # (tail, head, ∂head/∂tail): x*x has two edges, one per argument
[('n0', 'n1', 3.0), ('n0', 'n1', 3.0)]
"""

from __future__ import annotations

import functools
import heapq
import html
import itertools
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from autograd import notation, ops
from autograd.errors import DrawingTooLargeError, RenderError
from autograd.graph import count_paths, paths, topological_order
from autograd.value import Value

INSTALL_COMMAND = "apt-get install graphviz fonts-dejavu-core"
FONT = "DejaVu Sans"  # has W¹₂₁, ŷ, ℓ, ∂, σ′, ⊙ and the minus sign
VIEWS = ("full", "collapsed", "neurons")
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".gv": "gv", ".dot": "gv"}
DEFAULT_MAX_NODES = 150
HIGHLIGHT_COLOURS = ("#d62728", "#1f66c2", "#2a9d3a", "#8e44ad", "#e67e22", "#8c564b")

# Colours of a drawing without highlight, and of the dimmed part of a highlighted one.
_FILL = {"leaf": "#fff4d6", "op": "#eaf1fb", "root": "#fde3e1", "unit": "#eaf1fb"}
_BORDER = "#4d4d4d"
_TEXT = "#1a1a1a"
_GRAD = "#6b3fa0"  # grads in one colour, so the eye finds them
_DIM_FILL, _DIM_BORDER, _DIM_TEXT = "#f7f7f7", "#c4c4c4", "#8f8f8f"

# Operations whose formula templates put an argument next to an operator, so a compound
# argument (a + b, a·b, −a) needs parentheses there.
_PLACES = {  # op -> (argument index, argument count) -> how tightly that place binds (None: never wrap)
    "sub": lambda k, n: "sum" if k == 1 else None,
    "mul": lambda k, n: "product",
    "div": lambda k, n: "product" if k == 0 else "power",
    "neg": lambda k, n: "product",
    "pow": lambda k, n: "power",
    "linear": lambda k, n: "product" if k < n - n % 2 else None,
}
# graph.paths copies each path prefix as it goes, which is quadratic on a long chain; beyond this many
# nodes the caption gives the derivative without listing the chain.
_LONGEST_PATH_SEARCH = 5000
_LONGEST_EXPRESSION = 24
_LONGEST_PRODUCT = 8  # an edge through more hidden nodes shows its number only  # an unnamed node whose formula is longer gets a short name v₇ instead


# ---------------------------------------------------------------------------------------------
# The object draw() returns.


class Drawing:
    """What `draw` returns: a ``graphviz.Digraph`` (this class is mixed into it) with a few extras.

    Everything of ``graphviz.Digraph`` works (``.source``, ``.pipe()``, ``.render()``); rendering
    errors come out as `RenderError`, and in Jupyter a missing ``dot`` shows a message with the
    install command instead of a traceback.

    Attributes:
        captions: the caption lines of a highlighted drawing as plain text (empty without highlight).
    """

    captions: tuple[str, ...] = ()
    _ids: tuple = ()  # ((Value, dot id), ...) in topological order
    _edges: tuple = ()  # ((tail id, head id, partial), ...) in DOT order

    def node_id(self, value: Value) -> str:
        """The DOT id of the node that shows ``value`` (a unit's node in the neuron view).

        Raises:
            KeyError: ``value`` is not drawn (not in the graph, or hidden by the view).
        """
        for v, dot_id in self._ids:
            if v is value:
                return dot_id
        raise KeyError(f"{value!r} is not drawn: it is not in the graph, or the view hides it")

    def edge_partials(self) -> list[tuple[str, str, float]]:
        """Every edge as ``(tail id, head id, ∂head/∂tail)``, in the order of the DOT text."""
        return list(self._edges)

    def render_to(self, path, dpi: int = 150) -> Path:
        """Render to ``path``; the suffix picks the format (.svg .png .pdf, or .gv/.dot for DOT text).

        Args:
            path: where to write the file.
            dpi: resolution of a PNG (other formats are vector graphics).

        Returns:
            The path written.

        Raises:
            ValueError: the suffix is not one of the supported ones.
            RenderError: graphviz's ``dot`` program is missing or failed.
        """
        return save(self, path, dpi=dpi)

    def pipe(self, *args, **kwargs):
        """``graphviz.Digraph.pipe``, raising `RenderError` when ``dot`` is missing or fails."""
        return _rendering(lambda: super(Drawing, self).pipe(*args, **kwargs))

    def render(self, *args, **kwargs):
        """``graphviz.Digraph.render``, raising `RenderError` when ``dot`` is missing or fails."""
        return _rendering(lambda: super(Drawing, self).render(*args, **kwargs))

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        # Jupyter calls this to show the drawing inline; without `dot`, a message beats a traceback.
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except RenderError as e:
            return {"text/plain": str(e)}

    def copy(self):
        """An independent copy (``graphviz.Digraph.copy``) that keeps the captions and node ids."""
        other = super().copy()
        other.captions, other._ids, other._edges = self.captions, self._ids, self._edges
        return other


def _import_graphviz():
    try:
        import graphviz
    except ImportError:
        raise ImportError(
            "drawing a graph needs the graphviz Python package: pip install graphviz (and, to render "
            f"images, graphviz's dot program: {INSTALL_COMMAND})") from None
    return graphviz


@functools.lru_cache(maxsize=None)
def _drawing_class(digraph_class):
    # Made on first use so that importing autograd never imports graphviz.
    return type("Drawing", (Drawing, digraph_class), {"__module__": __name__, "__doc__": Drawing.__doc__})


def _rendering(run):
    """Run a graphviz rendering call; turn its errors into `RenderError`s that say what to do."""
    graphviz = _import_graphviz()
    try:
        return run()
    except graphviz.ExecutableNotFound:
        raise RenderError(
            "cannot render the drawing: graphviz's `dot` program is not installed (or not on PATH). "
            f"Install it (Debian/Ubuntu: {INSTALL_COMMAND}; macOS: brew install graphviz), or write "
            "the DOT text with render_to('graph.gv') and render that elsewhere.") from None
    except graphviz.CalledProcessError as e:
        stderr = e.stderr.decode("utf-8", "replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        raise RenderError(f"graphviz's `dot` failed (exit status {e.returncode}): {stderr.strip()}") from None


def save(drawing, path, dpi: int = 150) -> Path:
    """Write a drawing (any ``graphviz`` graph) to ``path``, in the format its suffix names.

    ``.svg``, ``.png`` and ``.pdf`` are rendered by graphviz's ``dot`` program; ``.gv`` and ``.dot``
    are the DOT text itself and need no ``dot``.

    Args:
        drawing: what `draw` returned, or any ``graphviz.Digraph``/``Graph``/``Source``.
        path: the file to write.
        dpi: resolution of a PNG.

    Returns:
        The path written, as a ``pathlib.Path``.

    Raises:
        ValueError: the suffix is not one of the supported ones, or dpi is not a positive number.
        RenderError: ``dot`` is missing or failed.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        supported = ", ".join(FORMATS)
        raise ValueError(f"cannot tell the image format from {str(path)!r}: the file name must end in "
                         f"one of {supported}")
    if not hasattr(drawing, "source"):
        raise TypeError(f"save needs what draw() returns (a graphviz graph), got {type(drawing).__name__}")
    if fmt == "gv":
        path.write_text(drawing.source, encoding="utf-8")
        return path
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not dpi > 0:
        raise ValueError(f"dpi must be a positive number such as 150, got {dpi!r}")
    graph = drawing
    if fmt == "png" and hasattr(drawing, "graph_attr"):
        graph = drawing.copy()  # the resolution is a property of this file, not of the drawing
        graph.graph_attr["dpi"] = str(dpi)
    path.write_bytes(_rendering(lambda: graph.pipe(format=fmt)))
    return path


# ---------------------------------------------------------------------------------------------
# Names and numbers as the picture shows them.


def _minus(text: str) -> str:
    return text.replace("-", "−")  # a typeset minus: the picture is read, not pasted into code


class _Names:
    """Display names of the nodes: the label in Unicode, a constant's number, or for an unnamed
    result its formula in terms of its arguments (``(1 − ŷ)²``), or ``v₇`` when that gets long."""

    def __init__(self, order: list[Value], digits: int) -> None:
        self.digits = digits
        self.name: dict[int, str] = {}
        self.short: set[int] = set()  # nodes shown by a made-up name, which their box then displays
        for i, v in enumerate(order):
            if v.label:
                text = notation.to_text(v.label)
            elif not v.parents:
                text = self.number(v.data)
            else:
                text = _rule(v).expression(self.arguments(v))
                if len(text) > _LONGEST_EXPRESSION:
                    text = "v" + "".join(notation.SUBSCRIPT[c] for c in str(i))
                    self.short.add(id(v))
            self.name[id(v)] = text

    def number(self, x: float) -> str:
        return _minus(notation.format_number(x, self.digits))

    def __call__(self, v: Value) -> str:
        return self.name[id(v)]

    def wrapped(self, v: Value, binds: str = "product") -> str:
        """The name, parenthesized when it is a formula that would otherwise mis-parse where it stands.

        ``binds`` says how tightly the place binds: ``"sum"`` (the right of a minus: a − (b + c)),
        ``"product"`` (a factor: 2·(1 − ŷ)) or ``"power"`` (a base or a denominator: (a·b)²).
        """
        text = self.name[id(v)]
        if v.label or id(v) in self.short or not v.parents:
            return _wrap_number(text, binds) if not v.label and not v.parents else text
        return f"({text})" if _needs_parentheses(text, binds) else text

    def arguments(self, v: Value) -> list[str]:
        """Names of every argument of ``v``'s operation, constants included, as the rule expects."""
        places = _PLACES.get(v.op)
        parents = iter(v.parents)
        out = []
        count = len(v.consts) if v.consts is not None else len(v.parents)
        for k in range(count):
            c = v.consts[k] if v.consts is not None else None
            binds = places(k, count) if places else None
            if c is None:
                p = next(parents)
                out.append(self.wrapped(p, binds) if binds else self(p))
            else:
                text = self.number(c)
                out.append(_wrap_number(text, binds) if binds else text)
        return out

    def partial(self, v: Value, slot: int) -> str:
        """The formula of ∂v/∂(v.parents[slot]), e.g. ``ŷ(1 − ŷ)`` for ŷ = σ(α²)."""
        return _rule(v).partial_expression(_argument_index(v, slot), self.arguments(v), self.wrapped(v, "power"))

    def d(self, v: Value) -> str:
        """``∂`` and the name, parenthesized when the name is a formula: ∂ŷ, ∂(1 − ŷ)."""
        text = self.name[id(v)]
        return f"∂({text})" if not v.label and _has_top_level(text, " ·/") else f"∂{text}"


def _rule(v: Value) -> ops.Rule:
    try:
        return ops.RULES[v.op]
    except KeyError:
        raise ValueError(f"cannot draw a node made by the operation {v.op!r}: it is not in autograd.ops.RULES") from None


def _argument_index(v: Value, slot: int) -> int:
    """The position in the full argument list (constants included) of ``v.parents[slot]``."""
    if v.consts is None:
        return slot
    seen = -1
    for k, c in enumerate(v.consts):
        if c is None:
            seen += 1
            if seen == slot:
                return k
    raise IndexError(slot)


def _product_text(factors: list[str]) -> str:
    """``["ŷ(1 − ŷ)", "W²₂₁"]`` -> ``ŷ(1 − ŷ)·W²₂₁``: multiplied out as the printouts do it."""
    from autograd.explain import product_text
    return product_text(factors)


def _needs_parentheses(text: str, binds: str) -> bool:
    if _has_top_level(text, " "):  # a sum or difference: a + b, a − b
        return True
    if text.startswith("−"):  # a − (−b), 2·(−b), (−b)²
        return True
    return binds == "power" and _has_top_level(text, "·/")


def _wrap_number(text: str, binds: str | None) -> str:
    return f"({text})" if binds and text.startswith("−") else text


def _has_top_level(text: str, chars: str) -> bool:
    """Whether one of ``chars`` occurs in ``text`` outside parentheses."""
    depth = 0
    for c in text:
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0 and c in chars:
            return True
    return False


def _esc(text: str) -> str:
    """Text safe inside a graphviz HTML-like label: markup escaped, control characters replaced."""
    clean = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text)
    return html.escape(clean, quote=True)


# ---------------------------------------------------------------------------------------------
# What is drawn: items (boxes) and edges, computed from the graph before any graphviz call.


@dataclass
class _Item:
    """One box: the Value it shows (``rep``) and every Value it stands for."""

    rep: Value
    members: tuple  # a unit: its linear node ... its activation; otherwise (rep,)
    params: tuple = ()  # a unit's weights and bias (drawn inside it, not as boxes)
    dot_id: str = ""
    colours: list = field(default_factory=list)  # highlight colours whose paths pass through it


@dataclass
class _Edge:
    tail: _Item
    head: _Item
    tail_value: Value  # the Value the partial is taken with respect to
    partial: float
    formula: str | None  # None when the routes through hidden nodes are several
    routes: int = 1
    weights: tuple = ()  # neuron view: the weights on this connection
    colours: list = field(default_factory=list)


def _consumers(order: list[Value]) -> dict[int, list[tuple[Value, int]]]:
    out: dict[int, list[tuple[Value, int]]] = {}
    for v in order:
        for slot, p in enumerate(v.parents):
            out.setdefault(id(p), []).append((v, slot))
    return out


def _linear_roles(v: Value) -> list[str]:
    """For a ``linear`` node, each parent's role: 'weight', 'input' or 'bias' (args are w…, x…, [b])."""
    count = len(v.consts) if v.consts is not None else len(v.parents)
    n = count // 2
    roles = []
    for slot in range(len(v.parents)):
        k = _argument_index(v, slot)
        roles.append("weight" if k < n else ("input" if k < 2 * n else "bias"))
    return roles


def _units(order, index, consumers, root) -> list[_Item]:
    """The neurons: each ``linear`` node with the nodes computed from it alone (its activation),
    stopping at named nodes after the first so a loss is not swallowed by the output unit."""
    units = []
    for v in order:
        if v.op != "linear":
            continue
        members = {id(v): v}
        heap = [(index[id(v)], v)]
        while heap:
            _, m = heapq.heappop(heap)
            if m is not v and (m.label or m is root):
                continue  # a named activation ends the unit
            for c, _slot in consumers.get(id(m), ()):
                if id(c) not in members and all(id(p) in members for p in c.parents):
                    members[id(c)] = c
                    heapq.heappush(heap, (index[id(c)], c))
        ordered = tuple(sorted(members.values(), key=lambda m: index[id(m)]))
        params = tuple(p for p, role in zip(v.parents, _linear_roles(v)) if role != "input" and not p.parents)
        units.append(_Item(rep=ordered[-1], members=ordered, params=params))
    return units


def _items(view, order, index, consumers, root, sources) -> list[_Item]:
    """The boxes of a view, in topological order of the Value each one shows."""
    source_ids = {id(s) for s in sources}
    if view == "full":
        return [_Item(v, (v,)) for v in order]
    if view == "collapsed":
        return [_Item(v, (v,)) for v in order
                if not v.parents or v.label or v is root or id(v) in source_ids]
    units = _units(order, index, consumers, root)
    if not units:
        raise ValueError("view='neurons' draws the units of a network built with autograd.linear (as nn "
                         "builds them), and this graph has no linear node: use view='full' or "
                         "view='collapsed'")
    in_unit = {id(m) for u in units for m in u.members}
    params = {id(p) for u in units for p in u.params}
    items = list(units)
    for v in order:
        if id(v) in in_unit or id(v) in params:
            continue
        if not v.parents or v.label or v is root or id(v) in source_ids:
            items.append(_Item(v, (v,)))
    items.sort(key=lambda item: index[id(item.rep)])
    return items


def _edges_into(head: _Item, item_of: dict, index: dict, names: _Names) -> list[_Edge]:
    """The edges ending at ``head``: one per argument slot for an argument that is drawn, and one per
    drawn ancestor reached through hidden nodes, carrying the sum over routes of the products of
    the partials along them (the chain rule, restricted to what lies between the two boxes)."""
    rep = head.rep
    direct: list[_Edge] = []
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
                direct.append(_Edge(owner, head, p, d, f[0] if f else None))
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
        reach(rep, slot, 1.0, [], 1)
    while heap:  # latest node first: all routes into a hidden node are summed before it is expanded
        _, key = heapq.heappop(heap)
        node, d, f, routes = hidden.pop(key)
        for slot in range(len(node.parents)):
            reach(node, slot, d, f, routes)
    edges = direct
    for value, d, f, routes in sorted(routed.values(), key=lambda e: index[id(e[0])]):
        edges.append(_Edge(item_of[id(value)], head, value, d, _product_text(f) if f is not None else None, routes))
    return edges


def _neuron_weights(edge: _Edge) -> tuple:
    """The weights of a unit that multiply the edge's tail (shown on the connection, as in class)."""
    linear_node = edge.head.members[0]
    if linear_node.op != "linear":
        return ()
    roles = _linear_roles(linear_node)
    weights_of = [p for p, r in zip(linear_node.parents, roles) if r == "weight"]
    args = list(linear_node.consts) if linear_node.consts is not None else [None] * len(linear_node.parents)
    parents = iter(linear_node.parents)
    full = [next(parents) if a is None else a for a in args]
    n = len(full) // 2
    found = []
    for k in range(n, 2 * n):
        if full[k] is edge.tail_value and isinstance(full[k - n], Value) and any(full[k - n] is w for w in weights_of):
            found.append(full[k - n])
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# The chain product of a highlighted parameter.


def _derivative(root: Value, source: Value, order: list[Value]) -> float:
    """∂root/∂source by a private reverse sweep (the node's .grad fields are not touched)."""
    adjoint = {id(root): 1.0}
    for v in reversed(order):
        g = adjoint.get(id(v), 0.0)
        if g == 0.0 or v is source:
            continue
        for p, d in zip(v.parents, v.partials):
            adjoint[id(p)] = adjoint.get(id(p), 0.0) + g * d
    return adjoint.get(id(source), 0.0)


def _named_factors(path, source: Value, root: Value) -> list[tuple[Value, Value, float]]:
    """A path's local partials multiplied together between named nodes: ``(upper, lower, value)``
    for ∂upper/∂lower, root first, as a course writes the chain."""
    factors = []
    lower, acc = source, 1.0
    for node, slot in path:
        acc *= node.partials[slot]
        if node.label or node is root:
            factors.append((node, lower, acc))
            lower, acc = node, 1.0
    return factors[::-1]


def _caption(source, root, order, names: _Names, max_paths: int) -> list[str]:
    head = f"{names.d(root)}/{names.d(source)}"
    total = names.number(_derivative(root, source, order))
    n = count_paths(source, root)
    if source is root:
        return [f"{head} = 1"]
    if len(order) > _LONGEST_PATH_SEARCH:
        return [f"{head} = {total}",
                f"(the {len(order)}-node graph is too large to list its {n} path(s) here: draw an "
                f"intermediate node as the root to see the chain)"]

    def term(path):
        factors = _named_factors(path, source, root)
        symbols = " · ".join(f"{names.d(a)}/{names.d(b)}" for a, b, _ in factors)
        numbers = " · ".join(_factor_number(names, x) for _, _, x in factors)
        product = names.number(math.prod(x for _, _, x in factors))
        return symbols, numbers, product

    if n == 1:
        symbols, numbers, _ = term(next(paths(source, root)))
        if len(symbols.split(" · ")) == 1:
            return [f"{head} = {numbers} = {total}" if numbers != total else f"{head} = {total}"]
        return [f"{head} = {symbols}", f"= {numbers} = {total}"]
    lines = [f"{head} = sum over {n} paths, one product per path:"]
    for k, path in enumerate(itertools.islice(paths(source, root), max_paths)):
        symbols, numbers, product = term(path)
        value = numbers if " · " not in numbers else f"{numbers} = {product}"
        lines.append(f"{'  ' if k == 0 else '+ '}{symbols} = {value}")
    if n > max_paths:
        lines.append(f"+ … {n - max_paths} more paths not listed (max_paths={max_paths})")
    lines.append(f"= {total}")
    return lines


def _factor_number(names: _Names, x: float) -> str:
    text = names.number(x)
    return f"({text})" if text.startswith("−") else text


# ---------------------------------------------------------------------------------------------
# HTML-like labels.


def _value_cells(v: Value, names: _Names, show_formulas: bool, colour: str | None, dim: bool,
                 show_op: bool = True) -> list[str]:
    """The rows of one Value: name and operation symbol, formula, data, grad."""
    text = _DIM_TEXT if dim else _TEXT
    grad_colour = _DIM_TEXT if dim else _GRAD
    rows = []
    header = []
    if v.label or id(v) in names.short:
        style = ("<B>", "</B>") if v.label else ("<I>", "</I>")
        header.append(f'<FONT POINT-SIZE="16" COLOR="{colour or text}">{style[0]}{_esc(names(v))}{style[1]}</FONT>')
    if v.op and show_op:
        header.append(f'<FONT POINT-SIZE="13" COLOR="{_DIM_TEXT if dim else "#1f4e8c"}">{_esc(_rule(v).symbol)}</FONT>')
    if header:
        rows.append("  ".join(header))
    if show_formulas and v.op:
        formula = _rule(v).expression(names.arguments(v))
        rows.append(f'<FONT POINT-SIZE="11" COLOR="{text}">= {_esc(formula)}</FONT>')
    rows.append(f'<FONT POINT-SIZE="12" COLOR="{text}">data {_esc(names.number(v.data))}</FONT>')
    rows.append(f'<FONT POINT-SIZE="12" COLOR="{grad_colour}">grad {_esc(names.number(v.grad))}</FONT>')
    return rows


def _table(rows: list[str]) -> str:
    body = "".join(f"<TR><TD>{r}</TD></TR>" for r in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{body}</TABLE>>'


def _node_label(item: _Item, names: _Names, show_formulas: bool, colour: str | None, dim: bool) -> str:
    if len(item.members) == 1:
        return _table(_value_cells(item.rep, names, show_formulas, colour, dim))
    # a unit: one column per shown member (its pre-activation, named steps, its output)
    shown = [m for m in item.members if m is item.members[0] or m is item.rep or m.label]
    columns = []
    for m in shown:
        cells = "".join(f"<TR><TD>{r}</TD></TR>" for r in _value_cells(m, names, show_formulas, colour, dim))
        columns.append(f'<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE></TD>')
    arrow = f'<TD VALIGN="MIDDLE"><FONT COLOR="{_DIM_TEXT if dim else _TEXT}">→</FONT></TD>'
    row = arrow.join(columns)
    rows = f"<TR>{row}</TR>"
    if item.params:
        text = ", ".join(f"{names(p)} = {names.number(p.data)}" for p in item.params)
        span = 2 * len(columns) - 1
        rows += (f'<TR><TD COLSPAN="{span}"><FONT POINT-SIZE="10" COLOR="{_DIM_TEXT if dim else "#555555"}">'
                 f"{_esc(text)}</FONT></TD></TR>")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>>'


def _edge_label(edge: _Edge, names: _Names, show_formulas: bool, view: str, colour: str | None,
                dim: bool) -> str:
    number = names.number(edge.partial)
    formula = edge.formula if show_formulas and edge.formula not in (None, number) else None
    text = _DIM_TEXT if dim else _TEXT
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
        body = _esc(line)
        if colour and k == len(lines) - 1:
            body = f"<B>{body}</B>"
        rows.append(f'<FONT POINT-SIZE="{size}" COLOR="{colour or text}">{body}</FONT>')
    if len(rows) == 1:
        return f"<{rows[0]}>"
    return _table(rows)


# ---------------------------------------------------------------------------------------------
# draw()


def draw(root: Value, highlight=None, groups=None, view: str = "full", show_formulas: bool = False,
         digits: int = 4, max_nodes: int = DEFAULT_MAX_NODES, max_paths: int = 6) -> Drawing:
    """Draw the graph behind ``root``: values in boxes, local partials on the edges.

    Run ``root.backward()`` first if the boxes should show gradients (the drawing only reads them).

    Args:
        root: the Value whose graph is drawn (usually the loss).
        highlight: a Value, or several, whose paths to ``root`` are drawn in colour (one colour per
            Value), everything else dimmed, with the chain product as a caption.
        groups: ``{title: [Values]}``, e.g. ``net.graph_groups()``: one box (graphviz cluster) per
            group, in order. A node is in the first group that lists it (a unit: that lists one
            of its nodes or weights); a Value in two groups is an error.
        view: ``"full"`` (every node), ``"collapsed"`` (unnamed intermediate nodes hidden; an edge
            then carries the product of the partials through them, summed over routes) or
            ``"neurons"`` (each `autograd.linear` node with its activation as one box, its weights
            written inside; edges carry ∂unit/∂input and the weight on the connection).
        show_formulas: also write each node's formula and each edge's partial as a formula
            (``x₁ = 2``), with names from the labels and constants as numbers.
        digits: significant digits of every number shown.
        max_nodes: refuse to draw more boxes than this (a larger picture is unreadable).
        max_paths: with several paths from a highlighted Value, how many the caption lists (the
            total always counts them all).

    Returns:
        A `Drawing`: a ``graphviz.Digraph`` with ``render_to(path)``, ``captions``, ``node_id``.

    Raises:
        TypeError: ``root``, ``highlight`` or ``groups`` is not what is described above.
        ValueError: an unknown view, a highlighted Value that ``root`` does not depend on, a Value
            in two groups, ``view="neurons"`` on a graph without linear nodes, or a bad number.
        DrawingTooLargeError: more than ``max_nodes`` boxes; the message names a smaller view.
    """
    graphviz = _import_graphviz()
    if not isinstance(root, Value):
        raise TypeError(f"draw needs a Value (usually the loss), got {type(root).__name__}")
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(map(repr, VIEWS))}, got {view!r}")
    for name, number in (("digits", digits), ("max_nodes", max_nodes), ("max_paths", max_paths)):
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError(f"{name} must be a whole number ≥ 1, got {number!r}")
    order = topological_order(root)
    index = {id(v): i for i, v in enumerate(order)}
    sources = _highlight_list(highlight, index)
    group_of = _group_index(groups)
    consumers = _consumers(order)

    items = _items(view, order, index, consumers, root, sources)
    if len(items) > max_nodes:
        raise DrawingTooLargeError(_too_large(len(items), view, max_nodes, order, index, consumers, root, sources))
    names = _Names(order, digits)
    item_of = {}
    for k, item in enumerate(items):
        item.dot_id = f"n{k}"
        for m in item.members:
            item_of[id(m)] = item
    edges = [e for item in items for e in _edges_into(item, item_of, index, names)]
    if view == "neurons":
        for e in edges:
            e.weights = _neuron_weights(e)

    # Highlight: a box or edge is on a path from a source when it depends on that source.
    for k, source in enumerate(sources):
        colour = HIGHLIGHT_COLOURS[k % len(HIGHLIGHT_COLOURS)]
        on_path = _depends_on(order, source)
        for item in items:
            if any(id(m) in on_path for m in item.members):
                item.colours.append(colour)
        for e in edges:
            if id(e.tail_value) in on_path:
                e.colours.append(colour)

    captions: list[tuple[str, str]] = []  # (line, colour)
    for k, source in enumerate(sources):
        colour = HIGHLIGHT_COLOURS[k % len(HIGHLIGHT_COLOURS)]
        captions += [(line, colour) for line in _caption(source, root, order, names, max_paths)]
    if sources and all(v.grad == 0.0 for v in order):
        captions.append(("(every grad is 0: call backward() on the root before drawing to see them)", _DIM_TEXT))

    g = _drawing_class(graphviz.Digraph)(
        name="chainrule",
        graph_attr={"rankdir": "LR", "fontname": FONT, "bgcolor": "white", "pad": "0.3",
                    "nodesep": "0.3", "ranksep": "0.55", "labelloc": "b", "labeljust": "c", "fontsize": "14"},
        node_attr={"fontname": FONT, "shape": "box", "style": "rounded,filled", "margin": "0.12,0.06",
                   "penwidth": "1.2"},
        edge_attr={"fontname": FONT, "arrowsize": "0.7", "penwidth": "1.1"})
    highlighted = bool(sources)

    def emit_node(graph, item: _Item) -> None:
        colour = item.colours[0] if item.colours else None
        dim = highlighted and not item.colours
        kind = "unit" if len(item.members) > 1 else ("root" if item.rep is root else ("op" if item.rep.op else "leaf"))
        attrs = {"fillcolor": _DIM_FILL if dim else _FILL[kind],
                 "color": _DIM_BORDER if dim else (":".join(item.colours) if item.colours else _BORDER)}
        if item.colours:
            attrs["penwidth"] = "2.6"
        graph.node(item.dot_id, label=_node_label(item, names, show_formulas, colour, dim), **attrs)

    grouped: dict[int, list[_Item]] = {}
    for item in items:
        g_index = _item_group(item, group_of)
        grouped.setdefault(g_index, []).append(item)
    titles = list(groups) if groups else []
    for g_index, title in enumerate(titles):
        if g_index not in grouped:
            continue  # nothing of this group is drawn (e.g. hidden by the view)
        with g.subgraph(name=f"cluster_{g_index}") as cluster:
            cluster.attr(label=f'<<B>{_esc(title)}</B>>', style="rounded,dashed", color="#8a8a8a",
                         fontname=FONT, fontsize="14", fontcolor="#333333", labeljust="l", labelloc="t")
            for item in grouped[g_index]:
                emit_node(cluster, item)
    for item in grouped.get(-1, []):
        emit_node(g, item)

    drawn_edges = []
    for e in edges:
        colour = e.colours[0] if e.colours else None
        dim = highlighted and not e.colours
        attrs = {"color": ":".join(e.colours) if e.colours else (_DIM_BORDER if dim else "#555555")}
        if e.colours:
            attrs["penwidth"] = "2.4"
        g.edge(e.tail.dot_id, e.head.dot_id, label=_edge_label(e, names, show_formulas, view, colour, dim), **attrs)
        drawn_edges.append((e.tail.dot_id, e.head.dot_id, e.partial))

    if captions:
        rows = "".join(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="18" COLOR="{c}">{"<B>" if k == 0 else ""}{_esc(line)}'
                       f'{"</B>" if k == 0 else ""}</FONT></TD></TR>' for k, (line, c) in enumerate(captions))
        g.attr(label=f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">{rows}</TABLE>>')
    g.captions = tuple(line for line, _ in captions)
    g._ids = tuple((m, item.dot_id) for item in items for m in item.members + item.params)
    g._edges = tuple(drawn_edges)
    return g


def _highlight_list(highlight, index) -> list[Value]:
    if highlight is None:
        return []
    values = [highlight] if isinstance(highlight, Value) else highlight
    if not isinstance(values, Iterable) or isinstance(values, (str, bytes)):
        raise TypeError(f"highlight must be a Value or a list of Values, got {type(highlight).__name__}")
    out: list[Value] = []
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"highlight must hold Values, got {type(v).__name__}: {v!r}")
        if id(v) not in index:
            raise ValueError(f"cannot highlight {v!r}: the drawn root does not depend on it")
        if not any(v is w for w in out):
            out.append(v)
    return out


def _group_index(groups) -> dict[int, int]:
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


def _item_group(item: _Item, group_of: dict[int, int]) -> int:
    for v in (item.rep,) + item.members + item.params:
        if id(v) in group_of:
            return group_of[id(v)]
    return -1


def _depends_on(order: list[Value], source: Value) -> set[int]:
    on: set[int] = set()
    for v in order:
        if v is source or any(id(p) in on for p in v.parents):
            on.add(id(v))
    return on


def _too_large(count, view, max_nodes, order, index, consumers, root, sources) -> str:
    hints = []
    for other in VIEWS:
        if other == view or other == "full":
            continue
        try:
            n = len(_items(other, order, index, consumers, root, sources))
        except ValueError:
            continue  # no neuron view for a graph without linear nodes
        what = "hides unnamed intermediate nodes" if other == "collapsed" else "one box per unit"
        if n < count:
            hints.append(f"view={other!r} ({what}: {n} nodes)")
    hint = f"use {' or '.join(hints)}, " if hints else "name fewer intermediate nodes, "
    return (f"the drawing would have {count} nodes in view={view!r}, more than max_nodes={max_nodes}, and a "
            f"picture that large cannot be read: {hint}draw a smaller part of the graph (pass an "
            f"intermediate node as the root), or pass max_nodes={count} to draw it anyway")
