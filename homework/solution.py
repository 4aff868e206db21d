"""`Solution`: the worked solution of a problem — its network after the forward and backward pass,
the loss, the gradients, the parameters before and after one gradient-descent step, and the nodes
whose derivatives are explained — and `solve`, which makes one.

The network keeps the values of the forward pass (the step is taken on a twin network), so every
printout and drawing of its graph shows the numbers the sheet asks about. `Solution.render` lays it
out (homework.report), `Solution.drawing` draws its graph, `Solution.step_through` makes the page that
steps through its forward and backward pass; in a notebook a solution displays itself as Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd import Value, draw, notation as names, step_through, sum_values, topological_order
from autograd.drawing import DEFAULT_MAX_NODES, box_count
from homework.errors import ProblemError
from homework.loss_kinds import LOSSES
from homework.report import render
from nn import MLP, losses
from nn.optim import SGD


@dataclass
class SampleRun:
    """One sample's pass through the network: its input leaves, each layer's pre-activations and
    activations, its outputs and its loss (ℓ⁽ⁱ⁾ when there are several samples)."""

    inputs: list
    pre: list
    post: list
    outputs: list
    loss: Value


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
    updates: list  # the same for every parameter
    runs: list = field(default_factory=list)  # one SampleRun per sample, in order

    @property
    def all_outputs(self) -> list:
        """The network's outputs for every sample, in order (``outputs`` holds the first sample's)."""
        return [v for run in self.runs for v in run.outputs] or list(self.outputs)

    def named_nodes(self) -> dict:
        """Every named node of the solution's graph (its outputs included) by its Unicode name."""
        found = {}
        for root in (*self.all_outputs, self.loss):
            for v in topological_order(root):
                if v.label:
                    found.setdefault(names.to_text(v.label), v)
        return found

    def render(self, fmt: str = "text", digits: int | None = None, round_steps: bool = False, paths: bool = False,
               trace: bool = False, unfused: bool = False, by_section: bool = False) -> str:
        """The whole solution as ``"text"``, ``"markdown"`` or ``"latex"`` (a complete document).

        Args:
            fmt: the format.
            digits: significant digits (default: the problem's).
            round_steps: also recompute every step from rounded numbers, as by hand.
            paths: list every path of a chain-rule derivation instead of factoring at branch points.
            trace: add the backward pass node by node, as the engine runs it.
            unfused: with softmax and cross-entropy, derive ∂ℓ/∂z through the softmax's partials instead
                of starting from its closed form ŷ − y.
            by_section: the complete solution section by section, even when the problem lists the
                sheet's questions (which are otherwise answered one by one, in the sheet's order).
        """
        return render(self, fmt, self.problem.digits if digits is None else digits, round_steps, paths, trace,
                      unfused, by_section)

    @property
    def drawn_root(self) -> Value:
        """What a picture of the solution draws: the loss, or with several samples the first sample's
        loss ℓ⁽¹⁾ (every sample's copy of the network in one picture would not be readable)."""
        return self.runs[0].loss if len(self.runs) > 1 else self.loss

    def picture_view(self, max_nodes: int | None = None) -> tuple[str, int]:
        """The view a picture of this solution takes when none is asked for, and how many boxes a
        box per weight would take: one box per weight (``"collapsed"``) while that is at most
        ``max_nodes`` boxes (default `NEURON_VIEW_ABOVE`), else one box per unit (``"neurons"``)."""
        boxes = box_count(self.drawn_root, "collapsed")
        return ("collapsed" if boxes <= (NEURON_VIEW_ABOVE if max_nodes is None else max_nodes) else "neurons"), boxes

    def drawing(self, highlight: Value | None = None, view: str | None = None, max_nodes: int | None = None,
                whole: bool = False, **options):
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
            whole: with several samples, draw every sample's graph (the loss's), not the first's.
            options: passed to `autograd.draw`, overriding these choices.
        """
        target = highlight if highlight is not None else (list(self.wrt) or None)
        if view is None:
            view, _ = self.picture_view(max_nodes)
        options = {"view": view, "digits": self.problem.digits, "max_nodes": max_nodes or DEFAULT_MAX_NODES,
                   "outputs": tuple(self.all_outputs),
                   **({} if view == "diagram" else {"show_formulas": True}), **options}
        root = self.loss if whole else self.drawn_root
        if root is not self.loss:  # several samples: the first one's graph, and its paths
            on_path = {id(v) for v in topological_order(root)}
            targets = [target] if isinstance(target, Value) else list(target or [])
            target = [w for w in targets if id(w) in on_path] or None
        return draw(root, highlight=target, groups=self.net.graph_groups(root), **options)

    def step_view(self, max_nodes: int | None = None) -> tuple[str, str]:
        """The view of the step-through page when none is asked for, and why: every operation in a
        box of its own (each row of the trace then has its own box and edge) while that takes at
        most ``max_nodes`` boxes (default `NEURON_VIEW_ABOVE`), else the view of `picture_view`."""
        full = box_count(self.loss, "full")
        if full <= (NEURON_VIEW_ABOVE if max_nodes is None else max_nodes):
            return "full", ""
        view = "collapsed" if box_count(self.loss, "collapsed") <= (NEURON_VIEW_ABOVE if max_nodes is None
                                                                     else max_nodes) else "neurons"
        return view, f"as the solution's picture does: every operation in a box of its own would make {full} boxes"

    def step_through(self, view: str | None = None, max_nodes: int | None = None, digits: int | None = None,
                     **options):
        """The forward and backward pass of the loss, one row of the forward table and of the
        backward trace at a time, as a self-contained page (`autograd.step_through`): ``.save(path)``
        writes it, a notebook shows it.

        Args:
            view: the picture's view; default `step_view`.
            max_nodes: the most boxes the picture may have.
            digits: significant digits (default: the problem's), as in ``render(trace=True)``.
            options: passed to `autograd.draw` (``values``, ``grads`` for the diagram view).
        """
        why = ""
        if view is None:
            view, why = self.step_view(max_nodes)
        digits = self.problem.digits if digits is None else digits
        # the page walks the whole backward pass, so it draws every sample's graph
        drawing = self.drawing(highlight=[], view=view, max_nodes=max_nodes, digits=digits, whole=True, **options)
        return step_through(self.loss, drawing=drawing, view=view, digits=digits, why=why,
                            title=self.problem.title or "the worked solution", outputs=tuple(self.all_outputs))

    def __repr__(self) -> str:
        # short, like a Value's: the whole solution is what render() prints and a notebook shows
        return (f"<Solution of {self.problem.title!r}: {names.to_text(self.loss.label)} = {self.loss.data:.6g}, "
                f"{len(self.updates)} parameters>")

    def _repr_markdown_(self) -> str:
        # A notebook shows the worked solution as the Markdown export (matrices typeset by MathJax).
        return self.render("markdown")


def _sample_mark(i: int) -> str:
    """The superscript that tells sample i's nodes apart: x₁⁽²⁾ is x₁ of sample 2."""
    return "⁽" + str(i).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) + "⁾"


def _forward(problem, net, i: int, x, y, several: bool):
    """Sample i through the network and its loss; with several samples, its nodes are marked ⁽ⁱ⁾."""
    where = f"[data] x, sample {i}" if several else "[data] x"
    try:
        outputs = net(x)
    except (ValueError, TypeError) as e:
        raise ProblemError(f"{problem.source}: {where}: {e}") from None
    describe, make_loss = LOSSES[problem.loss]
    try:
        loss = make_loss(outputs, y)
    except (ValueError, TypeError) as e:
        where = f"[data] y, sample {i}" if several else "[data] y"
        raise ProblemError(f"{problem.source}: {where} / [loss] kind = {problem.loss!r}: {e}") from None
    run = SampleRun(list(net.last_inputs), [list(layer.last_pre) for layer in net.layers],
                    [list(layer.last_post) for layer in net.layers], outputs, loss)
    if several:
        mark = _sample_mark(i)
        for v in {id(v): v for v in run.inputs + [v for layer in run.pre + run.post for v in layer]}.values():
            v.label = names.to_text(v.label) + mark
        loss.label = names.to_text(net.notation.loss_name()) + mark
    return run


def _penalty(problem, net) -> Value:
    """The L2 term over the weights (and the biases when asked), named R."""
    params = []
    for layer in net.layers:
        rows = layer.W[1:] if (layer.bias_row and layer.convention != "Wx+b" and not problem.l2_biases) else layer.W
        params += [w for row in rows for w in row]
        if layer.b is not None and problem.l2_biases:
            params += list(layer.b)
    return losses.l2(params, problem.l2, half=problem.l2_half, label="R")


def solve(problem) -> Solution:
    """Forward pass, loss, backward pass and one gradient-descent step on a fresh network built from
    ``problem`` (a `homework.problem.Problem`): every sample through the same network, the losses
    summed (or averaged) into one, an L2 term added when the problem has one."""
    net = problem.build()
    samples = problem.all_samples
    several = len(samples) > 1
    runs = [_forward(problem, net, i, x, y, several) for i, (x, y) in enumerate(samples, start=1)]
    terms = [r.loss for r in runs]
    if several:
        data = sum_values(terms) if problem.reduction == "sum" else sum_values(terms) * (1.0 / len(terms))
    else:
        data = terms[0]
    loss = data + _penalty(problem, net) if problem.l2 else data
    loss.named(net.notation.loss_name())
    loss.backward()
    solution_outputs = runs[0].outputs
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
    deltas = [[z.grad for z in pre] for pre in runs[0].pre]
    # The step is taken on a twin network carrying the same gradients, so that this network (and
    # so every printout and drawing of its graph) keeps the values the forward pass used.
    twin = problem.build()
    for mine, theirs in zip(twin.parameters(), net.parameters()):
        mine.grad = theirs.grad
    SGD(twin, lr=problem.learning_rate).step()
    after = twin.matrices()
    new_value = {id(p): q.data for p, q in zip(net.parameters(), twin.parameters())}
    updates = [(p, p.data, p.grad, new_value[id(p)]) for p in net.parameters()]
    steps = [step for w in wrt for step in updates if step[0] is w]
    describe = LOSSES[problem.loss][0].replace("ℓ", names.to_text(net.notation.loss_name()), 1)
    return Solution(problem, net, solution_outputs, loss, wrt, before, grads, after, deltas, steps, describe,
                    updates, runs)
