"""chainrule's engine: scalar reverse-mode autograd that records, for every node, its local partials.

The engine is value.py (the node), ops.py (the rule table), chain_rule.py (backward), graph.py
(the other walks), nary.py (Σ, linear, softmax as one node each), slots.py (a node's layout),
coerce.py (numbers in), gradcheck.py, replay/ and errors.py; it imports nothing from the rest. Built on it: derive/
(derivations as data), render/ (text, Markdown, LaTeX), drawing/ (graphviz drawings) and
stepthrough/ (the step-through page).

Public surface: `Value` (the node), `backward`/`zero_grad`/`topological_order`/`paths` (graph walks),
`sum_values`/`linear`/`logsumexp`/`maximum`/`minimum` (operations on many arguments at once),
`explain`/`trace`/`forward_table` (chain-rule printouts), `gradcheck` (central differences against
the engine), `Replay` (one recorded graph run on a whole numpy batch), `draw`/`save` (graphviz
drawings with the local partials on the edges; the graphviz package is imported only when a drawing
is made), `step_through` (the forward and backward pass node by node, as a self-contained HTML page
that also displays in a notebook), `notation` (names in course notation) and the error classes.

The import name ``autograd`` is also HIPS autograd's: importing this package raises
`autograd.distribution.ImportNameClash` when another installed distribution provides it (see
autograd/distribution.py), since the two cannot share an environment.
"""

from autograd.distribution import __version__, check_import_name

check_import_name()  # first: a clash explained beats a confusing error from a half-overwritten package
__distribution__ = "chainrule"  # how nn tells this engine from another project's `autograd`

from autograd import notation, ops  # noqa: E402
from autograd.coerce import as_float  # noqa: E402
from autograd.errors import (ChainruleError, DomainError, DrawingTooLargeError, GradcheckError, NonFiniteError,
                             RenderError)
from autograd.derive import Explanation, explain, forward_table, trace
from autograd.gradcheck import GradcheckReport, gradcheck
from autograd.graph import (backward, check_finite, count_paths, depends_on, describe_nonfinite, gc_paused, leaves,
                            paths, topological_order, zero_grad)
from autograd.replay import Replay
from autograd.nary import linear, logsumexp, maximum, minimum, softmax, sum_values
from autograd.value import Value
from autograd.drawing import Drawing, draw, save
from autograd.stepthrough import StepThrough, step_through

__all__ = [
    "Value", "as_float", "linear", "logsumexp", "maximum", "minimum", "softmax", "sum_values",
    "backward", "check_finite", "count_paths", "depends_on", "describe_nonfinite", "leaves", "paths",
    "topological_order", "zero_grad", "gc_paused",
    "explain", "trace", "forward_table", "Explanation",
    "gradcheck", "GradcheckReport",
    "ChainruleError", "DomainError", "GradcheckError", "NonFiniteError",
    "draw", "save", "Drawing", "RenderError", "DrawingTooLargeError",
    "step_through", "StepThrough",
    "Replay",
    "notation", "ops",
]
