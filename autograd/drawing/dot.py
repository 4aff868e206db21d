"""DOT emission and rendering: `draw` decides what a view shows (boxes, edges, highlight, caption)
and hands it to scene.py, which puts it into a ``graphviz.Digraph`` (the `Drawing`); `save`
renders it to a file.

Building DOT text needs only the ``graphviz`` Python package, imported when a drawing is made (the
engine works without it). Rendering needs graphviz's ``dot`` program; without it `RenderError`
names the install command. Node ids are ``n0``, ``n1``, … in topological order (``e0``, … the labels
on edges, ``b0``, … the diagram's bias nodes, ``t0``, … group titles), so the same program gives the
same DOT text.
"""

from __future__ import annotations

import functools
from pathlib import Path

from autograd.drawing.compose import Look, boxes, links, titles
from autograd.drawing.diagram import bias_nodes, layers_of, legend
from autograd.drawing.highlight import HIGHLIGHT_COLOURS, caption, depends_on, highlight_list
from autograd.drawing.names import NodeNames
from autograd.drawing.scene import emit
from autograd.drawing.select import (DEFAULT_MAX_NODES, VIEWS, PerNode, consumers_of, edges_into, group_index,
                                     items_of, neuron_weights, too_large, weights_by_input)
from autograd.drawing.style import DIM_TEXT, FONT, TEXT, escape, font
from autograd.errors import DrawingTooLargeError, RenderError
from autograd.graph import topological_order, gc_paused
from autograd.value import Value

INSTALL_COMMAND = "apt-get install graphviz fonts-dejavu-core"
# A PNG's default resolution: a point is 2 pixels, so the smallest text (8 pt) is 16 pixels high,
# and every built-in problem's picture fits 2400 × 2400 pixels (tests/test_pictures.py measures both).
DEFAULT_DPI = 144
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".gv": "gv", ".dot": "gv"}


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

    def render_to(self, path, dpi: int = DEFAULT_DPI) -> Path:
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
        return rendering(lambda: super(Drawing, self).pipe(*args, **kwargs))

    def render(self, *args, **kwargs):
        """``graphviz.Digraph.render``, raising `RenderError` when ``dot`` is missing or fails."""
        return rendering(lambda: super(Drawing, self).render(*args, **kwargs))

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


def import_graphviz():
    try:
        import graphviz
    except ImportError:
        raise ImportError(
            "drawing a graph needs the graphviz Python package: pip install graphviz (and, to render "
            f"images, graphviz's dot program: {INSTALL_COMMAND})") from None
    return graphviz


@functools.lru_cache(maxsize=None)
def drawing_class(digraph_class):
    # Made on first use so that importing autograd never imports graphviz.
    return type("Drawing", (Drawing, digraph_class), {"__module__": __name__, "__doc__": Drawing.__doc__})


def rendering(run):
    """Run a graphviz rendering call; turn its errors into `RenderError`s that say what to do."""
    graphviz = import_graphviz()
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


def save(drawing, path, dpi: int = DEFAULT_DPI, timeout: float | None = None) -> Path:
    """Write a drawing (any ``graphviz`` graph) to ``path``, in the format its suffix names.

    ``.svg``, ``.png`` and ``.pdf`` are rendered by graphviz's ``dot`` program; ``.gv`` and ``.dot``
    are the DOT text itself and need no ``dot``. The file is written whole or not at all.

    Args:
        drawing: what `draw` returned, or any ``graphviz.Digraph``/``Graph``/``Source``.
        path: the file to write.
        dpi: resolution of a PNG, from 1 to 600.
        timeout: seconds ``dot`` may run (default: ``CHAINRULE_DOT_TIMEOUT``, else 60).

    Returns:
        The path written, as a ``pathlib.Path``.

    Raises:
        ValueError: an unsupported suffix, dpi or timeout; ``path`` is a folder or a device.
        RenderError: ``dot`` is missing, failed, ran longer than the timeout or wrote nothing.
    """
    from autograd.drawing import image_file
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        supported = ", ".join(FORMATS)
        raise ValueError(f"cannot tell the image format from {str(path)!r}: the file name must end in "
                         f"one of {supported}")
    if not hasattr(drawing, "source"):
        raise TypeError(f"save needs what draw() returns (a graphviz graph), got {type(drawing).__name__}")
    if fmt == "gv":
        return image_file.write_whole(path, drawing.source.encode("utf-8"))
    image_file.check_dpi(dpi)
    seconds = image_file.timeout_seconds(timeout)
    graph = drawing
    if fmt == "png" and hasattr(drawing, "graph_attr"):
        graph = drawing.copy()  # the resolution is a property of this file, not of the drawing
        graph.graph_attr["dpi"] = str(dpi)
    data = rendering(lambda: image_file.run_dot(graph.source, fmt, seconds, import_graphviz()))
    return image_file.write_whole(path, data)


@gc_paused()  # a printout builds many objects and no cycles: the collector would only rescan them
def draw(root: Value, highlight=None, groups=None, view: str = "full", show_formulas: bool = False,
         digits: int = 4, max_nodes: int = DEFAULT_MAX_NODES, max_paths: int = 6, values: bool = True,
         grads: bool = False, paths: bool = False, outputs: tuple = ()) -> Drawing:
    """Draw the graph behind ``root``: values in boxes, local partials on the edges.

    Run ``root.backward()`` first if the boxes should show gradients (the drawing only reads them).
    Columns run left to right in the order of the computation, and inputs, units and weights stand
    top to bottom in index order; every edge's label sits on the edge.

    Args:
        root: the Value whose graph is drawn (usually the loss).
        highlight: a Value, or several, whose paths to ``root`` are drawn in colour (one colour per
            Value; an edge on several paths gets one stroke per colour), everything else dimmed, with
            the chain product as a caption.
        groups: ``{title: [Values]}``, e.g. ``net.graph_groups(loss)``: each group's title is written
            at the top of the column where its first computed node stands (its first node, for a
            group of leaves). A Value in two groups is an error.
        view: ``"full"`` (every node), ``"collapsed"`` (unnamed intermediate nodes hidden; an edge
            then carries the product of the partials through them, summed over routes),
            ``"neurons"`` (each `autograd.linear` node with its activation as one box; edges carry
            ∂unit/∂input and the weight on the connection) or ``"diagram"`` (a sheet's network
            drawing: one circle per input and unit, a "+1" node per layer for a bias folded into W,
            a bias written at its unit otherwise, every weight with its value on its edge).
        show_formulas: also write each node's formula and each edge's partial as a formula
            (``x₁ = 2``), with names from the labels and constants as numbers.
        digits: significant digits of every number shown.
        max_nodes: refuse to draw more boxes than this (a larger picture is unreadable).
        max_paths: with ``paths=True``, how many paths the caption lists (the total counts them all).
        values: the diagram view only: False draws names without numbers (the picture of the
            network before any number is known).
        grads: the diagram view only: also write each weight's and each circle's gradient.
        paths: the caption lists one chain product per path, as ``explain(paths=True)`` does,
            instead of the factored chain ``explain`` prints by default.
        outputs: the network's named outputs, for softmax partials to name as the printouts do
            (∂ŷ₂/∂z₁ = −ŷ₂ŷ₁ even when only ŷ₂ feeds the loss and ŷ₁ is not drawn).

    Returns:
        A `Drawing`: a ``graphviz.Digraph`` with ``render_to(path)``, ``captions``, ``node_id``.

    Raises:
        TypeError: ``root``, ``highlight`` or ``groups`` is not what is described above.
        ValueError: an unknown view, a highlighted Value that ``root`` does not depend on, a Value
            in two groups, ``view="neurons"`` or ``"diagram"`` on a graph without linear nodes,
            ``values``/``grads`` with another view, or a bad number.
        DrawingTooLargeError: more than ``max_nodes`` boxes; the message names a smaller view.
    """
    graphviz = import_graphviz()
    if not isinstance(root, Value):
        raise TypeError(f"draw needs a Value (usually the loss), got {type(root).__name__}")
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(map(repr, VIEWS))}, got {view!r}")
    for name, number in (("digits", digits), ("max_nodes", max_nodes), ("max_paths", max_paths)):
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError(f"{name} must be a whole number ≥ 1, got {number!r}")
    if view != "diagram" and (values is not True or grads is not False):
        raise ValueError(f"values=False and grads=True belong to view='diagram' (the sheet's network "
                         f"drawing); view={view!r} always shows every number")
    order = topological_order(root)
    index = {id(v): i for i, v in enumerate(order)}
    sources = highlight_list(highlight, index)
    group_of = group_index(groups)
    # who uses each node: only the unit views look for units by it (and a refusal lists their sizes)
    consumers = consumers_of(order) if view in ("neurons", "diagram") else None

    items = items_of(view, order, index, consumers, root, sources)
    if len(items) > max_nodes:
        consumers = consumers if consumers is not None else consumers_of(order)
        raise DrawingTooLargeError(too_large(len(items), view, max_nodes, order, index, consumers, root, sources))
    names = NodeNames(order, digits, tuple(outputs))
    item_of = {}
    for k, item in enumerate(items):
        item.dot_id = f"n{k}"
        for m in item.members:
            item_of[id(m)] = item
    edges = [e for item in items for e in edges_into(item, item_of, index, names, formulas=show_formulas)]
    if view in ("neurons", "diagram"):
        weights_of = PerNode(weights_by_input)
        for e in edges:
            e.weights = neuron_weights(e, weights_of)
    biases = []
    if view == "diagram":
        layer = layers_of(items, edges)
        units = [item for item in items if item.members[0].op == "linear"]
        biases = bias_nodes(units, layer)
        for k, b in enumerate(biases):
            b.dot_id = f"b{k}"

    # Highlight: a box or edge is on a path from a source when it depends on that source; in the
    # diagram an edge that carries a highlighted weight is on that weight's path too.
    colour_of = {id(s): HIGHLIGHT_COLOURS[k % len(HIGHLIGHT_COLOURS)] for k, s in enumerate(sources)}
    for source in sources:
        on_path = depends_on(order, source)
        for item in items:
            if any(id(m) in on_path for m in item.members):
                item.colours += (colour_of[id(source)],)
        for e in edges:
            if id(e.tail_value) in on_path or (view == "diagram" and any(w is source for w in e.weights)):
                e.colours += (colour_of[id(source)],)

    captions: list[tuple[str, str]] = []  # (line, colour)
    for source in sources:
        captions += [(line, colour_of[id(source)])
                     for line in caption(source, root, order, names, max_paths, numbers=values, paths_listed=paths)]
    if sources and all(v.grad == 0.0 for v in order):
        captions.append(("(every grad is 0: call backward() on the root before drawing to see them)", DIM_TEXT))
    if view == "diagram":
        captions += [(line, TEXT) for line in legend(biases, [i for i in items if i.members[0].op == "linear"], names)]

    g = drawing_class(graphviz.Digraph)(
        name="chainrule",
        graph_attr={"rankdir": "LR", "fontname": FONT, "bgcolor": "white", "pad": "0.2", "nodesep": "0.1",
                    "ranksep": "0.15", "labelloc": "b", "labeljust": "l", "fontsize": "14"},
        node_attr={"fontname": FONT, "shape": "box", "style": "rounded,filled", "margin": "0.1,0.04",
                   "penwidth": "1.2"},
        edge_attr={"fontname": FONT, "arrowsize": "0.7", "penwidth": "1.1"})
    look = Look(view, names, root, show_formulas, values, grads, colour_of)
    emit(g, boxes(look, items, edges, biases, index), links(look, edges, biases), titles(groups, group_of, items))
    if captions:
        rows = "".join(f'<TR><TD ALIGN="LEFT">{font("caption", c, f"<B>{escape(line)}</B>" if k == 0 else escape(line))}'
                       f'</TD></TR>' for k, (line, c) in enumerate(captions))
        g.attr(label=f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="2">{rows}</TABLE>>')
    g.captions = tuple(line for line, _ in captions)
    g._ids = tuple((m, item.dot_id) for item in items for m in item.members + item.params)
    g._edges = tuple((e.tail.dot_id, e.head.dot_id, e.partial) for e in edges)
    return g
