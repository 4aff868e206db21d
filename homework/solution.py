"""`Solution`: the worked solution of a problem — its network after the forward and backward pass,
the loss, the gradients, the parameters before and after one gradient-descent step, and the nodes
whose derivatives are explained — and `solve`, which makes one.

The network keeps the values of the forward pass (the step is taken on a twin network), so every
printout and drawing of its graph shows the numbers the sheet asks about. `Solution.render` lays it
out (homework.report), `Solution.drawing` draws its graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd import Value, draw, notation as names, topological_order
from autograd.drawing import DEFAULT_MAX_NODES, box_count
from homework.errors import ProblemError
from homework.loss_kinds import LOSSES
from homework.report import render
from nn import MLP
from nn.optim import SGD


# Boxes: above this, a picture with a box per weight (the collapsed view) outgrows 2400 pixels at
# the default resolution (seed 001 and 003 have 38 and 34), and one box per unit reads better.
NEURON_VIEW_ABOVE = 24


@dataclass
class Solution:
    """The worked solution of a problem: the graph, gradients and the update, ready to render.

    The network keeps the values of the forward pass (the step is taken on a copy): ``before`` and
    ``after`` hold the parameter matrices on either side of the step.
    """

    problem: object  # the homework.problem.Problem solved
    net: MLP
    outputs: list[Value]
    loss: Value
    wrt: list[Value]
    before: dict
    grads: dict
    after: dict
    deltas: list
    steps: list  # (parameter, value before the step, gradient, value after) per explained parameter
    loss_description: str

    def render(self, fmt: str = "text", digits: int | None = None, round_steps: bool = False) -> str:
        """The whole solution as ``"text"``, ``"markdown"`` or ``"latex"`` (a complete document)."""
        return render(self, fmt, self.problem.digits if digits is None else digits, round_steps)

    def picture_view(self, max_nodes: int | None = None) -> tuple[str, int]:
        """The view a picture of this solution takes when none is asked for, and how many boxes a
        box per weight would take: one box per weight (``"collapsed"``) while that is at most
        ``max_nodes`` boxes (default `NEURON_VIEW_ABOVE`), else one box per unit (``"neurons"``)."""
        boxes = box_count(self.loss, "collapsed")
        return ("collapsed" if boxes <= (NEURON_VIEW_ABOVE if max_nodes is None else max_nodes) else "neurons"), boxes

    def drawing(self, highlight: Value | None = None, view: str | None = None, max_nodes: int | None = None,
                **options):
        """The graph of the loss, with each layer's title over its column, the paths of every
        requested derivative highlighted (one colour each) and every edge's partial as a formula and
        a number, to the problem's digits.

        Args:
            highlight: the Value(s) whose paths are coloured; default every requested derivative.
            view: ``"full"``, ``"collapsed"``, ``"neurons"`` or ``"diagram"`` (see `autograd.draw`);
                default `picture_view` (unnamed intermediate nodes collapsed into the edges, one
                box per unit for a graph of more than `NEURON_VIEW_ABOVE` boxes).
            max_nodes: the most boxes the picture may have; without a view, also the limit above
                which the default view draws one box per unit.
            options: passed to `autograd.draw`, overriding these choices.
        """
        target = highlight if highlight is not None else (list(self.wrt) or None)
        if view is None:
            view, _ = self.picture_view(max_nodes)
        options = {"view": view, "digits": self.problem.digits, "max_nodes": max_nodes or DEFAULT_MAX_NODES,
                   **({} if view == "diagram" else {"show_formulas": True}), **options}
        return draw(self.loss, highlight=target, groups=self.net.graph_groups(self.loss), **options)


def solve(problem) -> Solution:
    """Forward pass, loss, backward pass and one gradient-descent step on a fresh network built from
    ``problem`` (a `homework.problem.Problem`)."""
    net = problem.build()
    try:
        outputs = net(problem.x)
    except (ValueError, TypeError) as e:
        raise ProblemError(f"{problem.source}: [data] x: {e}") from None
    describe, make_loss = LOSSES[problem.loss]
    try:
        loss = make_loss(outputs, problem.y).named(net.notation.loss_name())
    except (ValueError, TypeError) as e:
        raise ProblemError(f"{problem.source}: [data] y / [loss] kind = {problem.loss!r}: {e}") from None
    loss.backward()
    # A derivative is asked for by name: a parameter (W¹₂₁), or any named node of the graph,
    # such as a pre-activation (dℓ/dα¹₁ is that unit's error term δ) or an input.
    named_nodes = {names.to_text(v.label): v for v in topological_order(loss) if v.label}
    wrt = []
    for name in problem.derivatives:
        node = named_nodes.get(names.to_text(name))
        if node is None or node is loss:
            known = ", ".join(list(named_nodes)[:16])
            raise ProblemError(
                f"{problem.source}: [explain] derivatives: nothing in the network is named {name!r}; "
                f"the names are {known}, …")
        wrt.append(node)
    before = net.matrices()
    grads = net.matrices(grad=True)
    deltas = [[z.grad for z in layer.last_pre] for layer in net.layers]
    # The step is taken on a twin network carrying the same gradients, so that this network (and
    # so every printout and drawing of its graph) keeps the values the forward pass used.
    twin = problem.build()
    for mine, theirs in zip(twin.parameters(), net.parameters()):
        mine.grad = theirs.grad
    SGD(twin, lr=problem.learning_rate).step()
    after = twin.matrices()
    new_value = {id(p): q.data for p, q in zip(net.parameters(), twin.parameters())}
    steps = [(w, w.data, w.grad, new_value[id(w)]) for w in wrt if id(w) in new_value]
    describe = describe.replace("ℓ", loss.label, 1)  # in the sheet's name for the loss
    return Solution(problem, net, outputs, loss, wrt, before, grads, after, deltas, steps, describe)
