"""The plan of a factored derivation: the shown graph between ``wrt`` and the root (its edges with
their factors, who consumes whom), every shown node's upstream gradient, which nodes get a step of
their own (branch points, and gradients known in closed form), and the order they are written in.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.derive.accumulate import collapsed_edges, rounded_routes
from autograd.derive.view import GraphView
from autograd.value import Value


@dataclass
class Term:
    """One term of a sum (or the whole chain): from ``top`` (the root, or a node computed on its own)
    down through ``edges``; its factors' numbers as shown and its exact product. The symbols are
    written only for the terms a printout shows."""

    top: int
    edges: list
    numbers: list
    exact: float
    symbols: object  # () -> list[Formula]


class Plan:
    """The shown graph between ``wrt`` and the root: its edges with their factors, who consumes whom,
    which nodes are computed as steps of their own, and every node's upstream gradient."""

    def __init__(self, g: GraphView, wrt: Value, collapse: bool, shortcuts: dict, round_steps: bool) -> None:
        self.g, self.wrt, self.shortcuts, self.round_steps = g, wrt, shortcuts, round_steps
        root, index = g.root, g.index

        def is_stop(v: Value) -> bool:
            return not collapse or bool(v.label) or v is root or v is wrt or id(v) in shortcuts

        self.edges = collapsed_edges(g, g.relevant(wrt), is_stop)  # consumer -> [(argument, factor, routes)]
        consumers: dict[int, list] = {}
        self.factors: dict[tuple[int, int], tuple[float, object]] = {}
        for kc in sorted(self.edges):
            for p, d, routes in self.edges[kc]:
                consumers.setdefault(index[id(p)], []).append((kc, d, routes))
                self.factors[kc, index[id(p)]] = (d, routes)
        # ∂root/∂v for every shown node, over all of its consumers: the true gradient
        self.delta = {index[id(root)]: 1.0}
        for kc in sorted(self.edges, reverse=True):
            for p, d, _ in self.edges[kc]:
                kp = index[id(p)]
                self.delta[kp] = self.delta.get(kp, 0.0) + self.delta[kc] * d
        # the part the derivation walks: upwards from wrt, not through a shortcut (its gradient is given)
        self.kw = index[id(wrt)]
        reached, todo = {self.kw}, [self.kw]
        while todo:
            k = todo.pop()
            if id(g.order[k]) in shortcuts and k != self.kw:
                continue
            for kc, _, _ in consumers.get(k, ()):
                if kc not in reached:
                    reached.add(kc)
                    todo.append(kc)
        self.consumers = {k: [c for c in consumers.get(k, ()) if c[0] in reached] for k in reached}
        kr = index[id(root)]
        # Nodes computed on their own: a branch point (it feeds two or more shown nodes: its gradient
        # is a sum), a gradient known in closed form, and a node where paths meet again with a chain of
        # two or more factors above it (computed once instead of written out in every term).
        # Decided from the top down, so a node's chain above is already cut at the nodes chosen.
        meets = {k: sum(1 for p, _, _ in self.edges.get(k, ()) if index[id(p)] in reached) for k in reached}
        chosen: set[int] = set()
        above: dict[int, int] = {kr: 0}  # factors between a node and the nearest chosen node (or root)
        for k in sorted(reached, reverse=True):
            if k == kr:
                continue
            fans = len(self.consumers[k])
            if fans == 1:
                kc = self.consumers[k][0][0]
                above[k] = 1 + (0 if kc in chosen else above.get(kc, 0))
            else:
                above[k] = 1
            if id(g.order[k]) in shortcuts or fans >= 2 or (meets[k] >= 2 and above[k] >= 2):
                chosen.add(k)
        self.merges = {k for k in chosen if len(self.consumers[k]) < 2 and id(g.order[k]) not in shortcuts}
        self.anchors = sorted(chosen, reverse=True)
        self.rounded: dict[int, float] = {kr: 1.0}
        self.anchors = self._in_writing_order()

    def _in_writing_order(self) -> list[int]:
        """The nodes computed on their own, each after those its sum reads, and otherwise in the order
        they were computed (so one sample's steps come before the next sample's)."""
        needs = {}
        for k in self.anchors:
            tops = {self.chain(kc)[0] for kc, _, _ in self.consumers[k]} if id(self.g.order[k]) not in self.shortcuts else set()
            needs[k] = {t for t in tops if t in needs or t in self.anchors}
        order, done = [], set()
        waiting = sorted(self.anchors)
        while waiting:
            ready = next(k for k in waiting if needs[k] <= done)  # the earliest computed that can go now
            waiting.remove(ready)
            done.add(ready)
            order.append(ready)
        return order

    def factor(self, kc: int, kp: int) -> tuple[float, object]:
        """The factor ∂c/∂p of one shown edge and its routes through hidden nodes."""
        return self.factors[kc, kp]

    def factor_value(self, kc: int, kp: int) -> float:
        d, routes = self.factor(kc, kp)
        if not self.round_steps:
            return d
        return rounded_routes(self.g, routes) if routes else self.g.round(d)

    def chain(self, k: int) -> tuple[int, list[tuple[int, int]]]:
        """From node k up to the nearest node computed on its own (or the root): that node, and the
        edges (consumer, argument) in between, top first."""
        steps = []
        kr = self.g.index[id(self.g.root)]
        while k != kr and k not in self.anchors:
            (kc, _, _), = self.consumers[k]
            steps.append((kc, k))
            k = kc
        return k, steps[::-1]
