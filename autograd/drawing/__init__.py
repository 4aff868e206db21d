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
  activation) as one node; ``view="diagram"`` is a sheet's network drawing (a circle per input and
  unit, "+1" bias nodes, weights on the edges); ``groups={"layer 1": [...], ...}`` writes each
  group's title at the top of its column.
- Columns run left to right; inputs, units and weights stand top to bottom in index order; each
  edge's label is written on the edge itself.
- ``max_nodes`` refuses a drawing that would be an unreadable poster and says which view to use;
  `box_count` tells beforehand how many boxes a view has.

The work is split by job: select.py decides what is drawn (boxes, edges, views, groups), diagram.py
the sheet's network drawing, highlight.py which paths are coloured and the caption, names.py and
style.py how names, numbers and labels look, layout.py the columns and their order, scene.py puts
boxes and labelled edges into graphviz, dot.py assembles a drawing and renders it.

>>> from autograd import Value
>>> x = Value(3.0, "x"); y = (x * x).named("y"); y.backward()
>>> d = draw(y)
>>> d.node_id(x), d.node_id(y)
('n0', 'n1')
>>> d.edge_partials()  # (tail, head, ∂head/∂tail): x*x has two edges, one per argument
[('n0', 'n1', 3.0), ('n0', 'n1', 3.0)]
"""

from autograd.drawing.dot import FORMATS, INSTALL_COMMAND, Drawing, draw, save
from autograd.drawing.highlight import HIGHLIGHT_COLOURS
from autograd.drawing.select import DEFAULT_MAX_NODES, VIEWS, box_count
from autograd.drawing.style import FONT

__all__ = ["draw", "save", "Drawing", "box_count", "FORMATS", "INSTALL_COMMAND", "HIGHLIGHT_COLOURS", "DEFAULT_MAX_NODES",
           "VIEWS", "FONT"]
