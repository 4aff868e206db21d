"""The layout of a node's slots, and the two tags that tell the layouts apart.

Python's cycle collector visits every object that can hold references, and
a graph is made of millions of them, so a node is ONE such object: a slotted Value whose parents
and partials sit in four flat slots instead of two tuples of their own:

==========================  ==========  ==========  ===============  =========================
node                        ``_a``      ``_b``      ``_da``          ``_db``
==========================  ==========  ==========  ===============  =========================
leaf                        None        None        (walk mark)      None
one argument (``tanh x``)   x           None        ∂/∂x             None
Value op constant (x − 3)   x           None        ∂/∂x             the constant 3.0
constant op Value (3 − x)   x           `LEFT`      ∂/∂x             the constant 3.0
two Values (x·y)            x           y           ∂/∂x             ∂/∂y
any number (Σ, linear)      (parents)   `NARY`      (partials)       ``consts`` or None
==========================  ==========  ==========  ===============  =========================

The Value class (value.py) builds nodes in this layout, and the walks (chain_rule.py, graph.py) read
it; this module holds what they share, so that none of them imports another to learn it.
"""

# Tags in the ``_b`` slot: "the constant stood on the left" and "parents and partials are tuples".
# They are compared by identity only.
LEFT = type("_ConstantOnTheLeft", (), {"__repr__": lambda self: "<constant on the left>"})()
NARY = type("_AnyNumberOfArguments", (), {"__repr__": lambda self: "<any number of arguments>"})()
