"""`Key`: what answers are checked against — a solution's derivation in derivation order
(`homework.check.plan.Plan`), the names an answers file may use, which question asks for which
number, and the derivation worked again the ways a student may have worked it (rounding or
truncating every step; under a whole-derivation mistake), each computed once however many answer
files are checked.
"""

from __future__ import annotations

import math

from autograd import notation
from homework.check.mistaken import whole_derivations
from homework.check.names import Lookup
from homework.check.plan import GRADIENTS, LOCAL, UPDATED, VALUES, Plan
from homework.check.wiring import Wiring
from homework.check.written import rounder
from nn.backprop.names import Names

# A gradient with more paths than this to the loss is not split into its paths to diagnose it.
MAX_PATHS = 64


class Key:
    """The answer key of a solved problem (a `homework.solution.Solution`); see the module docstring.

    Attributes:
        solution: the solution (None for a bare graph, `Key.of_graph`).
        plan: every quantity in derivation order; ``plan.entries[i].value`` is the right number.
        lookup: the names an answers file may use (`homework.check.names.Lookup`).
        wiring: how the network is wired (None for a bare graph).
        asked: ``[(label, text, [entry positions])]``: what each question of the sheet asks for, or
            one group per kind of number when the problem lists no questions.
        digits: the problem's significant digits, for the numbers a report shows.
    """

    def __init__(self, solution) -> None:
        self.solution, problem = solution, solution.problem
        self.problem, self.digits = problem, problem.digits
        self.wiring = Wiring(solution)
        outputs = [v for run in solution.runs for v in run.outputs] or list(solution.outputs)
        self.plan = Plan(solution.loss, outputs, solution.net.parameters(), problem.learning_rate, _shortcuts(solution))
        loss_name = notation.to_text(solution.loss.label)
        self.lookup = Lookup(self.plan, _arrays(self.plan, solution), loss_name)
        self.asked = _asked(self, problem)
        self.squared_error = problem.loss == "squared_error" and not getattr(problem, "l2", 0.0)
        self._replays: dict = {}
        self._paths: dict = {}
        self._mistaken: list | None = None

    @classmethod
    def of_graph(cls, loss, outputs=(), parameters=(), learning_rate: float | None = None, digits: int = 4) -> "Key":
        """The key of any recorded graph (a network built in Python and its loss): values, local
        factors, gradients and, with a learning rate, the parameters after one step."""
        key = cls.__new__(cls)
        key.solution = key.problem = key.wiring = None
        key.digits, key.squared_error = digits, False
        key.plan = Plan(loss, outputs, parameters, learning_rate)
        key.lookup = Lookup(key.plan, {}, notation.to_text(loss.label) if loss.label else "ℓ")
        key.asked = _default_asked(key.plan)
        key._replays, key._paths, key._mistaken = {}, {}, []
        return key

    @property
    def entries(self) -> list:
        return self.plan.entries

    def label(self, i: int) -> str:
        """The label of the first question asking for entry i ('' if none does)."""
        for label, _, positions in self.asked:
            if i in positions:
                return label
        return ""

    def number(self, x: float) -> str:
        """A number as a report or a key writes it: to the problem's digits, and without the last bits
        of floating point (0.35000000000000003 is the 0.35 a student writes)."""
        return notation.format_number(float(format(x, ".12g")), self.digits) if math.isfinite(x) else str(x)

    def replay(self, how: str, mode: str, digits: int):
        """The derivation with every step rounded (``how="round"``) or truncated (``"truncate"``) to
        ``digits`` significant digits (``mode="sig"``) or decimals (``"dec"``), as by hand."""
        at = (how, mode, digits)
        if at not in self._replays:
            self._replays[at] = self.plan.work(rounder=rounder(how, mode, digits))
        return self._replays[at]

    def paths(self, k: int) -> list[tuple[int, tuple]]:
        """The paths from shown node k up to the loss (or to an error term known in closed form):
        (top, edges from the top down), each edge (consumer, argument); [] when more than `MAX_PATHS`."""
        if k not in self._paths:
            plan, kr = self.plan, self.plan.index[id(self.plan.root)]
            found: list = []
            todo = [(k, ())]
            while todo and len(found) <= MAX_PATHS:
                node, below = todo.pop()
                if node == kr or node in plan.shortcuts:
                    found.append((node, below))
                    continue
                for kc in reversed(plan.consumers.get(node, [])):
                    todo.append((kc, ((kc, node),) + below))
            self._paths[k] = found if len(found) <= MAX_PATHS else []
        return self._paths[k]

    def mistaken(self) -> list:
        """Whole derivations worked under a consistent mistake in the network's matrices: a bias-first
        layer's bias row read as its last row, a square matrix transposed. Each is
        ``(kind, what, {entry position: value})``."""
        if self._mistaken is None:
            self._mistaken = whole_derivations(self, type(self))
        return self._mistaken


def _shortcuts(solution) -> dict:
    """dℓ/dzᵢ = ŷᵢ − yᵢ where softmax meets cross-entropy with probabilities (one sample)."""
    from homework.report import fused_output_errors

    if len(solution.runs) > 1 or solution.problem.activation_names[-1] != "softmax":
        return {}
    layer = solution.net.layers[-1]
    return {z: (layer.last_post[layer.last_pre.index(z)], solution.problem.y[layer.last_pre.index(z)])
            for z in fused_output_errors(solution)}


def _arrays(plan: Plan, solution) -> dict:
    """Vectors and matrices by name, per section, as nested lists of entry positions."""
    by = {(e.section, id(e.node)): e.index for e in plan.entries if e.section != LOCAL}
    net = solution.net
    out: dict = {VALUES: {}, GRADIENTS: {}, UPDATED: {}}

    def put(section: str, name: str, nodes) -> None:
        positions = [by.get((section, id(v))) for v in nodes] if not isinstance(nodes[0], list) else \
            [[by.get((section, id(v))) for v in row] for row in nodes]
        if name and name not in plan_names and any(p is not None for p in _flat(positions)):
            out[section].setdefault(name, positions)

    plan_names = {e.name for e in plan.entries}
    for layer in net.layers:
        put(GRADIENTS, notation.to_text(layer.weight_name), layer.W)
        put(UPDATED, notation.to_text(layer.weight_name), layer.W)
        if layer.b is not None:
            put(GRADIENTS, notation.to_text(layer.bias_name), layer.b)
            put(UPDATED, notation.to_text(layer.bias_name), layer.b)
    if len(solution.runs) == 1:
        run = solution.runs[0]
        names = Names(net.notation, len(net.layers), net.layers[-1].activation.name == "identity")
        for l, (pre, post) in enumerate(zip(run.pre, run.post), start=1):
            for section in (VALUES, GRADIENTS):
                put(section, names.pre(l).text, pre)
                put(section, names.post(l).text, post)
            put(GRADIENTS, names.delta(l).text, pre)
    return out


def _flat(xs):
    for x in xs:
        if isinstance(x, list):
            yield from _flat(x)
        else:
            yield x


def _asked(key: Key, problem) -> list:
    """What each question of the sheet asks for, in its order; when no question asks for a number
    (a sheet of identities or closed forms only), every forward value, error term, parameter
    gradient and new parameter."""
    groups = []
    for q in problem.questions:
        found = _numbers_asked(key, q)
        if found:
            groups.append((q.label, q.text, found))
    return groups or _default_asked(key.plan)


def _numbers_asked(key: Key, q) -> list:
    """The entries one question asks for (see `homework.questions.ASKS`); [] for a drawing, a shape,
    a class, a formula."""
    plan, solution = key.plan, key.solution
    by_name = {(e.section, e.name): e.index for e in plan.entries}

    def named(section: str, names) -> list:
        return [by_name[section, notation.to_text(n)] for n in names if (section, notation.to_text(n)) in by_name]

    layers = solution.net.layers
    weights = [[w.label for row in layer.W for w in row] for layer in layers]
    biases = [[b.label for b in layer.b or ()] + ([w.label for w in layer.W[0]] if layer.bias_row else [])
              for layer in layers]
    pre = [z.label for run in solution.runs for layer in run.pre for z in layer]
    params = [p.label for p in solution.net.parameters()]
    if q.ask == "values":
        return named(VALUES, q.of)
    if q.ask == "loss":
        return named(VALUES, [solution.loss.label])
    if q.ask == "forward":
        return [e.index for e in plan.entries if e.section == VALUES]
    if q.ask == "local":
        pair = (notation.to_text(q.of[0]), notation.to_text(q.wrt[0]))
        return [key.lookup.pairs[pair]] if pair in key.lookup.pairs else []
    if q.ask == "derivative":
        return named(GRADIENTS, q.wrt)
    if q.ask == "deltas":
        return named(GRADIENTS, pre)
    if q.ask == "gradients":
        return named(GRADIENTS, params)
    if q.ask == "layers":
        return named(GRADIENTS, pre + params)
    if q.ask == "closed_forms":
        which = getattr(q, "which", "")
        chosen = [n for l in range(len(layers)) for n in (biases[l] if which == "biases" else weights[l]
                                                          if which == "weights" else weights[l] + biases[l])]
        return named(GRADIENTS, list(dict.fromkeys(chosen)))
    if q.ask == "identity" and len(layers) >= 2:  # seed 000's: ∂φ₂/∂W⁽²⁾, β₁ = ∂l/∂a⁽¹⁾, ∂φ₁/∂W⁽¹⁾
        hidden = [h.label for run in solution.runs for h in run.post[-2]]
        return named(GRADIENTS, {"a": weights[-1], "b": hidden, "c": weights[-2]}.get(q.which, []))
    if q.ask == "update":
        return named(UPDATED, q.of or params)
    return []


def _default_asked(plan: Plan) -> list:
    values = [e.index for e in plan.entries if e.section == VALUES]
    leaves = [e.index for e in plan.entries if e.section == GRADIENTS and e.node.op == "linear"]
    moved = {id(e.node) for e in plan.entries if e.section == UPDATED}
    params = [e.index for e in plan.entries if e.section == GRADIENTS and id(e.node) in moved]
    updated = [e.index for e in plan.entries if e.section == UPDATED]
    groups = [("", "The forward pass and the loss", values), ("", "The error terms δ = dℓ/dz", leaves),
              ("", "The gradient of every parameter", params), ("", "Every parameter after one gradient-descent step",
                                                                 updated)]
    return [g for g in groups if g[2]]

