"""A picture as boxes and links, put into a ``graphviz.Digraph``: every view (full, collapsed,
neurons, diagram) describes what it shows as `Box`es and `Link`s, and `emit` lays them out the one
way all pictures share.

- A link's label is a node of its own sitting *on* the line (tail ── label ──▶ head), so a label
  can never drift away from its edge or be crossed by a node's border, and reads like the numbers
  written on a sheet's edges.
- Columns and the order inside them come from layout.py and are fixed with ``rank=same`` chains.
- A group's title is a plain-text node at the top of its column.
- A link on several highlighted paths is drawn as parallel strokes, one per colour, with a gap
  between them (graphviz draws the strokes 2 points apart; a transparent stroke between two colours
  keeps them from merging into one line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from autograd.drawing.layout import numbered_columns
from autograd.drawing.style import DIM_BORDER, EDGE, SIZES, escape

_TITLE_COLOUR = "#333333"


@dataclass(slots=True)  # one per box or edge: a big picture has tens of thousands
class Box:
    """One node of the picture: its DOT id, its HTML-like label, its graphviz attributes, and the
    index that fixes its place in its column (None: it goes where its neighbours are)."""

    dot_id: str
    label: str
    attrs: dict
    anchor: float | None = None


@dataclass(slots=True)  # one per box or edge: a big picture has tens of thousands
class Link:
    """One edge: from box ``tail`` to box ``head``, with an HTML-like label written on it (or None)."""

    tail: str
    head: str
    label: str | None
    colours: tuple = ()  # highlight colours; empty: an ordinary edge
    dim: bool = False  # a highlighted picture dims what is off every path


def stroke(colours: tuple, dim: bool) -> dict:
    """The edge attributes for a link's colours: one stroke per highlight colour, apart."""
    if not colours:
        return {"color": DIM_BORDER if dim else EDGE}
    if len(colours) == 1:
        return {"color": colours[0], "penwidth": "2.4"}
    return {"color": ":transparent:".join(colours), "penwidth": "1.8"}


class DotStatements:
    """DOT statements written as ``graphviz.Digraph.node`` and ``.edge`` write them, byte for byte,
    straight into the graph's body: the package quotes every attribute through several calls, which
    on a picture of 15,000 nodes took longer than everything else. A plain id (``n7``) and an
    HTML-like label (``<…>``) stay as they are, as the package leaves them; any other value is
    quoted by the package's own `graphviz.quoting.quote`. Each id and value is quoted once, and a
    set of attributes is written once by `attributes`, then handed to every statement that has it."""

    def __init__(self, graph) -> None:
        from graphviz.quoting import quote
        self._quote = quote
        self._quoted: dict[str, str] = {}
        self._lists: dict[tuple, str] = {}
        self.body = graph.body

    def quote(self, value: str) -> str:
        if value[:1] == "<" and value[-1:] == ">":
            return value  # an HTML-like label: each is different (and long), so none is kept
        quoted = self._quoted.get(value)
        if quoted is None:
            plain = _PLAIN_ID.fullmatch(value) and value.lower() not in _KEYWORDS
            quoted = self._quoted[value] = value if plain else self._quote(value)
        return quoted

    def attributes(self, attrs: dict) -> str:
        """The attributes of a statement other than its label, sorted by name as graphviz sorts
        them, quoted, and joined (empty for none)."""
        key = tuple(attrs.items())
        written = self._lists.get(key)
        if written is None:
            quote = self.quote
            written = self._lists[key] = " ".join(f"{quote(k)}={quote(v)}" for k, v in sorted(key) if v is not None)
        return written

    def _end(self, end: str) -> str:
        # as graphviz.quoting.quote_edge: node[:port[:compass]]
        node, _, rest = end.partition(":")
        if not rest:
            return self.quote(node)
        port, _, compass = rest.partition(":")
        return ":".join([self.quote(node), self.quote(port)] + ([compass] if compass else []))

    def node(self, name: str, label: str | None, attributes: str) -> None:
        """``name [label=… attributes]``; ``attributes`` as `attributes` wrote them."""
        if label is not None:
            attributes = f"label={self.quote(label)} {attributes}" if attributes else f"label={self.quote(label)}"
        self.body.append(f"\t{self.quote(name)} [{attributes}]\n" if attributes else f"\t{self.quote(name)}\n")

    def edge(self, tail: str, head: str, attributes: str) -> None:
        """``tail -> head [attributes]``; ``attributes`` as `attributes` wrote them."""
        line = f"\t{self._end(tail)} -> {self._end(head)}"
        self.body.append(f"{line} [{attributes}]\n" if attributes else f"{line}\n")

    def through_label(self, tail: str, label_id: str, label: str, head: str, node: str, into: str, out: str) -> None:
        """The three statements of a link that runs through its label: the label's node (with
        attributes ``node``), the line into its west side (``into``) and out of its east (``out``),
        as `node` and `edge` write them; none of the three sets of attributes may be empty."""
        at = self.quote(label_id)
        self.body += [f"\t{at} [label={self.quote(label)} {node}]\n",
                      f"\t{self._end(tail)} -> {at}:{self.quote('w')} [{into}]\n",
                      f"\t{at}:{self.quote('e')} -> {self._end(head)} [{out}]\n"]


# Ids that graphviz.quoting.quote leaves unquoted (a part of its rule: plain names, not keywords).
_PLAIN_ID = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}
_LABEL_NODE = {"shape": "plaintext", "style": "filled", "fillcolor": "white", "margin": "0.03,0.01", "width": "0",
               "height": "0"}


def emit(digraph, boxes: list[Box], links: list[Link], titles: list[tuple[str, str]]) -> None:
    """Add ``boxes`` (in topological order), ``links`` and the group ``titles`` (``(title, id of a
    box in that group's column)``) to ``digraph`` (a ``graphviz.Digraph``), with the columns and
    their order fixed."""
    graph = DotStatements(digraph)
    labelled = {}  # link index -> id of its label node
    links_into: dict[str, list[int]] = {}
    for k, link in enumerate(links):
        links_into.setdefault(link.head, []).append(k)
        if link.label is not None:
            labelled[k] = f"e{k}"
    # the layout's nodes by number, a link's label node right before its head: a topological order
    ids: list[str] = []
    anchor: list[float | None] = []
    box_number: dict[str, int] = {}
    label_number: dict[int, int] = {}
    for box in boxes:
        for k in links_into.get(box.dot_id, ()):
            if k in labelled:
                label_number[k] = len(ids)
                ids.append(labelled[k])
                anchor.append(None)
        box_number[box.dot_id] = len(ids)
        ids.append(box.dot_id)
        anchor.append(box.anchor)
    preds: list[list[int]] = [[] for _ in ids]
    succs: list[list[int]] = [[] for _ in ids]
    for k, link in enumerate(links):  # a link with a label is two: into its label, out of it
        t, h = box_number[link.tail], box_number[link.head]
        for a, b in ((t, label_number[k]), (label_number[k], h)) if k in labelled else ((t, h),):
            succs[a].append(b)
            preds[b].append(a)
    is_label = [False] * len(ids)
    for n in label_number.values():
        is_label[n] = True
    cols = [[ids[n] for n in col] for col in numbered_columns(preds, succs, is_label, anchor)]

    anchored = {box.dot_id for box in boxes if box.anchor is not None} if titles else set()
    column_of = {n: c for c, col in enumerate(cols) for n in col} if titles else {}
    for k, (title, member) in enumerate(titles):
        # above the group's first box in its column, and above the anchored boxes before it (a
        # layer's "+1" stands at the top of the layer), not above weights that merely sit higher
        title_id = f"t{k}"
        graph.node(title_id, f'<<B>{escape(title)}</B>>', graph.attributes(
            {"shape": "plaintext", "style": "filled", "fillcolor": "white", "fontsize": str(SIZES["title"]),
             "fontcolor": _TITLE_COLOUR, "margin": "0.02,0.02"}))
        col = cols[column_of[member]]
        col.insert(next(i for i, n in enumerate(col) if n == member or n in anchored), title_id)

    for box in boxes:
        graph.node(box.dot_id, box.label, graph.attributes(box.attrs))
    label_node = graph.attributes(_LABEL_NODE)
    strokes: dict[tuple, tuple[str, str]] = {}  # (colours, dim) -> attributes of a link, of its first half
    for k, link in enumerate(links):
        key = (tuple(link.colours), link.dim)
        written = strokes.get(key)
        if written is None:
            attrs = stroke(link.colours, link.dim)
            written = strokes[key] = (graph.attributes(attrs), graph.attributes({"arrowhead": "none", **attrs}))
        if k not in labelled:
            graph.edge(link.tail, link.head, written[0])
            continue
        # into the label's left side and out of its right side: the line runs through the label
        graph.through_label(link.tail, labelled[k], link.label, link.head, label_node, written[1], written[0])
    for col in cols:
        graph.body.append("\t{rank=same; " + " -> ".join(col) + (" [style=invis]" if len(col) > 1 else "") + "}\n")
    for left, right in zip(cols, cols[1:]):  # keeps the columns apart even where no edge joins them
        graph.edge(left[0], right[0], graph.attributes({"style": "invis", "weight": "0"}))
