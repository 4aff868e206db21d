"""Batched replay: record a scalar graph once, then run it forward and backward on a whole batch.

The scalar engine builds one graph per sample, which is what makes it explainable and also what
makes it slow for training. A `Replay` takes a graph built once (for one sample) and the leaves that
stand for the sample's inputs, and evaluates the same graph on numpy arrays holding every sample at
once. Nothing here knows a derivative: each node's forward value and local partials come from the
same rule in ops.py, called with `NUMPY` (a math namespace with the names of `ops.ScalarMath`) in
place of ``ops.SCALAR``. The other leaves are the parameters. Their values are read from ``.data``
at every `Replay.forward`, so an optimizer that updates ``p.data`` in place works unchanged.

>>> from autograd import Value, Replay
>>> w, x = Value(2.0, "w"), Value(0.0, "x")
>>> y = (w * x).tanh()
>>> rep = Replay(y, inputs=[x])
>>> rep.forward([[0.0], [0.5], [-1.0]]).round(4).tolist()     # one row per sample
[0.0, 0.7616, -0.964]
>>> rep.backward(per_sample=True).round(4).tolist()           # ∂y/∂w for each sample
[[0.0], [0.21], [-0.0707]]
>>> rep.backward().round(4).tolist()                          # ... and summed
[0.1393]

How the graph is run. At construction it is compiled into a short program of steps over *blocks*:
arrays holding the values of several nodes at once, one row per node and one column per sample (a
node that no input reaches has a single column, the same for every sample, computed once per run):

- the inputs form one block, the parameters another;
- `linear` nodes that read the same inputs (the units of one layer) become one *affine* step: one
  matrix product forward (Z = W·X + b) and two backward (∂W = G·Xᵀ, ∂X = Wᵀ·G);
- nodes of one fixed-arity rule at the same depth whose arguments come from the same blocks (the
  relu of a whole layer, the squares of all the parameters in an L2 term) become one *elementwise*
  step: the rule's forward and partials, called once on whole blocks;
- a `sum` becomes one *reduction* over the rows it adds;
- anything else (logsumexp, softmax, a `linear` with no layer structure) is replayed node by node.

A batch larger than ``chunk_size`` samples is run in chunks, so memory stays bounded whatever the
batch: `forward` keeps only the root's values, and `backward` runs each chunk forward again before
differentiating it. On a terminal, a chunked run shows a progress line on standard error.

The package: numpy_math.py (the math namespace), program.py (compiling a graph into steps), rows.py
(how a step reads and writes blocks), steps.py (the steps), batch.py (`Replay` itself), leaves.py (resolving inputs) and
progress.py (the progress line).
"""

from autograd.replay.batch import Replay
from autograd.replay.numpy_math import NUMPY, NumpyMath
from autograd.replay.steps import TOTAL_RULES

__all__ = ["NUMPY", "NumpyMath", "Replay", "TOTAL_RULES"]
