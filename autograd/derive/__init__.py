"""Derivations as data: what a printout says about a recorded graph, built from the graph and the
rule table and handed to the renderers (autograd.render) as plain blocks (autograd.derive.model).

- `explain` (chain.py, accumulate.py): one gradient by the chain rule;
- `trace` (trace.py): the backward pass node by node;
- `forward_table` (forward.py): every named value;
- formula.py builds the formulas, view.py decides how each node is shown, document.py holds the
  finished `Explanation`.
"""

from autograd.derive.chain import Factor, PathTerm, explain
from autograd.derive.document import Explanation
from autograd.derive.forward import forward_table
from autograd.derive.trace import trace

__all__ = ["Explanation", "Factor", "PathTerm", "explain", "trace", "forward_table"]
