"""The derivation a student works through, as the list of numbers a sheet can ask for, in the order
a student computes them (`Plan`), and that derivation worked again from other numbers (`Plan.work`).

Derivation order: the forward values in topological order (the loss last), then the backward pass
over the nodes a derivation shows (named nodes and the loss), from the loss down level by level —
for each node first its local factors ∂c/∂v towards what it feeds, then dℓ/dv — and last the
parameters after one gradient-descent step. Each quantity lists the quantities it is computed from.

`Plan.work` recomputes everything from the graph and the rule table (autograd.ops), the same
formulas the engine and the printouts use, with two hooks: a ``decide`` function that may replace
each quantity as it is reached (a student's own number, so that later steps are computed from it),
and a ``rounder`` applied after every step (rounding or truncating as by hand). Nothing here is a
derivative of its own: each local factor is the product of the rule table's partials through the
unnamed nodes between two shown nodes, and each gradient the sum over what the node feeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from autograd import notation
from autograd.derive.view import GraphView, rule_of
from autograd.graph import topological_order
from autograd.ops import SCALAR
from autograd.value import Value

VALUES, LOCAL, GRADIENTS, UPDATED = "values", "local", "gradients", "updated"
SECTIONS = (VALUES, LOCAL, GRADIENTS, UPDATED)


@dataclass(frozen=True)
class Entry:
    """One number a sheet can ask for.

    Attributes:
        index: its position in derivation order.
        section: where an answers file puts it: ``values``, ``local``, ``gradients`` or ``updated``.
        name: its key in an answers file (α¹₁, ∂ŷ/∂α², W¹₂₁).
        symbol: how a report writes it (α¹₁, ∂ŷ/∂α², dℓ/dW¹₂₁, W¹₂₁ (new)).
        value: the right number.
        node: the node it is about (for a local factor ∂c/∂v: c); ``wrt``: v for a local factor.
        inputs: the positions of the entries it is computed from.
    """

    index: int
    section: str
    name: str
    symbol: str
    value: float
    node: Value
    wrt: Value | None = None
    inputs: tuple = ()


@dataclass
class Worked:
    """A derivation worked through: every node's value, every shown factor, every shown node's
    gradient and every parameter's new value; per entry, the number computed from its inputs
    (``computed``) and the number carried on (``carried``: what ``decide`` returned)."""

    values: list
    factors: dict = field(default_factory=dict)  # (consumer position, argument position) -> factor
    grads: dict = field(default_factory=dict)  # node position -> d loss / d node
    updates: dict = field(default_factory=dict)  # node position -> value after the step
    computed: list = field(default_factory=list)
    carried: list = field(default_factory=list)


class Plan:
    """Every quantity of a derivation in derivation order (see the module docstring).

    Args:
        loss: the root.
        outputs: other outputs whose values a sheet asks for though the loss does not read them.
        parameters: the leaves a gradient step moves, in any order; ``learning_rate`` its step size.
        shortcuts: ``{node: (output node, target)}`` for error terms known in closed form,
            dℓ/dz = ŷ − y (softmax with cross-entropy): they are computed from ŷ, as a student does.
    """

    def __init__(self, loss: Value, outputs=(), parameters=(), learning_rate: float | None = None,
                 shortcuts: dict | None = None) -> None:
        g = GraphView(loss, 4, "sig", also=tuple(o for o in outputs if o is not loss))
        self.root, self.order, self.index = loss, g.order, g.index
        self.learning_rate = learning_rate
        index = self.index
        self.on_loss = [False] * len(self.order)
        for v in topological_order(loss):
            self.on_loss[index[id(v)]] = True
        self.parents = [[index[id(p)] for p in v.parents] for v in self.order]
        self.shown = [bool(v.label) or v is loss for v in self.order]
        self.shortcuts = {index[id(z)]: (index[id(y)], float(t)) for z, (y, t) in (shortcuts or {}).items()
                          if id(z) in index}
        self.regions = {k: self._region(k) for k, v in enumerate(self.order)
                        if self.shown[k] and self.on_loss[k] and v.parents}
        self.consumers: dict[int, list[int]] = {}
        for kc in sorted(self.regions):
            for kp in self.regions[kc][1]:
                self.consumers.setdefault(kp, []).append(kc)
        self.entries: list[Entry] = []
        self.steps: list[tuple] = []  # (kind, position(s), entry index or None), in derivation order
        self._build([self.index[id(p)] for p in parameters])
        truth = self.work()
        self.entries = [Entry(e.index, e.section, e.name, e.symbol, truth.computed[e.index], e.node, e.wrt, e.inputs)
                        for e in self.entries]
        self.truth = truth

    # Building -----------------------------------------------------------------------------------

    def _region(self, kc: int) -> tuple[list[int], list[int]]:
        """The unnamed nodes below shown node kc down to the shown nodes it reads (latest first),
        and those shown nodes, in the order they are first reached."""
        hidden, below, seen, todo = [], [], {kc}, [kc]
        while todo:
            k = todo.pop()
            for kp in self.parents[k]:
                if kp in seen or not self.on_loss[kp]:
                    continue
                seen.add(kp)
                if self.shown[kp]:
                    below.append(kp)
                elif self.order[kp].parents:
                    hidden.append(kp)
                    todo.append(kp)
        return sorted(hidden, reverse=True), sorted(below)

    def name(self, k: int) -> str:
        return notation.to_text(self.order[k].label) if self.order[k].label else "ℓ"

    def _add(self, section: str, name: str, symbol: str, node: Value, wrt=None, inputs=()) -> int:
        i = len(self.entries)
        self.entries.append(Entry(i, section, name, symbol, 0.0, node, wrt, tuple(inputs)))
        return i

    def _build(self, params: list[int]) -> None:
        order, root_name = self.order, self.name(self.index[id(self.root)])
        value_of: dict[int, int] = {}
        for k, v in enumerate(order):
            if not v.parents:
                continue
            if not self.shown[k]:
                self.steps.append(("hidden", k, None))
                continue
            value_of[k] = self._add(VALUES, self.name(k), self.name(k), v, inputs=self._read(k, value_of))
            self.steps.append(("value", k, value_of[k]))
        kr = self.index[id(self.root)]
        off = [k for k in value_of if not self.on_loss[k]]
        level = {kr: 0}
        for k in sorted(self.consumers, reverse=True):
            level[k] = 1 + max(level[c] for c in self.consumers[k])
        backward = off + sorted((k for k in level if k != kr), key=lambda k: (level[k], k))
        self.grad_entry: dict[int, int] = {}
        for k in backward:
            inputs: list[int] = []
            for kc in self.consumers.get(k, ()):
                top, bottom = self.name(kc), self.name(k)
                reads = [value_of[j] for j in [kc, *self.regions[kc][0], k] if j in value_of]
                local = self._add(LOCAL, f"∂{top}/∂{bottom}", f"∂{top}/∂{bottom}", order[kc], order[k], reads)
                self.steps.append(("local", (kc, k), local))
                inputs += [local] + ([self.grad_entry[kc]] if kc in self.grad_entry else [])
            if k in self.shortcuts:
                inputs = [value_of[self.shortcuts[k][0]]]
            self.grad_entry[k] = self._add(GRADIENTS, self.name(k), f"d{root_name}/d{self.name(k)}", order[k],
                                           inputs=inputs)
            self.steps.append(("grad", k, self.grad_entry[k]))
        if self.learning_rate is not None:
            for k in sorted((k for k in params if k in self.grad_entry), key=lambda k: self.grad_entry[k]):
                e = self._add(UPDATED, self.name(k), f"{self.name(k)} (new)", order[k], inputs=[self.grad_entry[k]])
                self.steps.append(("update", k, e))

    def _read(self, k: int, value_of: dict) -> list[int]:
        """The value entries node k is computed from, through unnamed nodes."""
        found, todo, seen = [], list(self.parents[k]), set()
        while todo:
            j = todo.pop()
            if j in seen:
                continue
            seen.add(j)
            if j in value_of:
                found.append(value_of[j])
            elif self.order[j].parents and not self.shown[j]:
                todo.extend(self.parents[j])
        return sorted(found)

    # Working ------------------------------------------------------------------------------------

    def arguments(self, k: int, values: list) -> tuple:
        """Node k's arguments in the rule's order, constants included, from ``values``."""
        v = self.order[k]
        given = iter(values[j] for j in self.parents[k])
        consts = v.consts if v.consts is not None else (None,) * len(v.parents)
        return tuple(next(given) if c is None else c for c in consts)

    def forward(self, k: int, values: list) -> float:
        try:
            return float(rule_of(self.order[k]).forward(SCALAR, *self.arguments(k, values)))
        except (ArithmeticError, ValueError):
            return float("nan")  # a student's number moved it off the domain

    def partials(self, k: int, values: list) -> list[float]:
        """∂node/∂parent for each parent slot of node k, at ``values``."""
        v, rule = self.order[k], rule_of(self.order[k])
        xs, out = self.arguments(k, values), values[k]
        consts = v.consts if v.consts is not None else (None,) * len(v.parents)
        positions = [j for j, c in enumerate(consts) if c is None]
        try:
            if rule.arity is None:
                every = rule.nary_partials(SCALAR, out, xs) if rule.nary_partials else None
                return [every[j] if every else rule.nary_partial(SCALAR, j, out, xs) for j in positions]
            return [rule.partials[j](SCALAR, out, *xs) for j in positions]
        except (ArithmeticError, ValueError):
            return [float("nan")] * len(positions)

    def factors_of(self, kc: int, values: list) -> dict[int, float]:
        """Every local factor ∂c/∂p of shown node kc at ``values``: the partials multiplied through
        the unnamed nodes between, summed over their routes."""
        hidden, _ = self.regions[kc]
        acc = {kc: 1.0}
        found: dict[int, float] = {}
        for k in [kc, *hidden]:
            up = acc.get(k, 0.0)
            for kp, d in zip(self.parents[k], self.partials(k, values)):
                if not self.on_loss[kp]:
                    continue
                target = found if self.shown[kp] else acc
                target[kp] = target.get(kp, 0.0) + up * d
        return found

    def factor_at(self, kc: int, kp: int, values: list, changes: dict) -> float:
        """The factor ∂c/∂p with some nodes' values changed (σ′ taken at another point, say): the
        unnamed nodes between and c itself recomputed from them."""
        moved = list(values)
        for k, x in changes.items():
            moved[k] = x
        for k in [*sorted(self.regions[kc][0]), kc]:
            moved[k] = self.forward(k, moved)
        return self.factors_of(kc, moved).get(kp, 0.0)

    def work(self, decide: Callable | None = None, rounder: Callable | None = None) -> Worked:
        """The derivation recomputed; see the module docstring. ``decide(entry, computed)`` returns
        the number to carry on; ``rounder(x)`` is applied to every number computed."""
        keep = rounder or (lambda x: x)
        values = [keep(v.data) if not v.parents else 0.0 for v in self.order]
        w = Worked(values, computed=[0.0] * len(self.entries), carried=[0.0] * len(self.entries))
        cache: dict[int, dict] = {}
        lr = self.learning_rate

        def settle(i: int, x: float) -> float:
            w.computed[i] = x
            x = decide(self.entries[i], x) if decide is not None else x
            w.carried[i] = x
            return x

        for kind, at, i in self.steps:
            if kind in ("hidden", "value"):
                x = keep(self.forward(at, values))
                values[at] = settle(i, x) if i is not None else x
            elif kind == "local":
                kc, kp = at
                if kc not in cache:
                    cache[kc] = self.factors_of(kc, values)
                w.factors[at] = settle(i, keep(cache[kc].get(kp, 0.0)))
            elif kind == "grad":
                if at in self.shortcuts:
                    ky, target = self.shortcuts[at]
                    x = keep(values[ky] - target)
                else:
                    x = 0.0
                    for kc in self.consumers.get(at, ()):
                        x = keep(x + keep(w.grads.get(kc, 1.0 if kc == self.index[id(self.root)] else 0.0)
                                          * w.factors[kc, at]))
                w.grads[at] = settle(i, x)
            else:
                w.updates[at] = settle(i, keep(values[at] - keep(lr * w.grads[at])))
        return w
