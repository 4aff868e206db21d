"""Walking a recorded graph: topological order, paths between two nodes, the search for the first
non-finite number, the sibling outputs of a softmax, and the conventional home of `backward` and
`zero_grad`.

The chain rule itself (`backward`) and the walk it uses live in value.py, next to the node whose
storage they read, so that ``Value.backward`` needs nothing from here: this module imports value.py
and never the reverse. They are re-exported here, where the graph-wide functions are.

Every walk is iterative, so a chain of a million operations needs no recursion limit, and every order
comes from the graph's structure (parents in argument order), never from ``id()``: the same program
visits nodes in the same order every time.
"""

from __future__ import annotations

import gc
import math
from contextlib import contextmanager
from typing import Iterator

from autograd import ops
from autograd.errors import NonFiniteError
from autograd.chain_rule import backward, describe_nonfinite_in, zero_grad
from autograd.slots import LEFT, NARY
from autograd.value import Value

__all__ = ["topological_order", "gc_paused", "backward", "zero_grad", "leaves", "depends_on", "paths",
           "count_paths", "describe_nonfinite", "check_finite"]

_INF = math.inf


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, inputs first and ``root`` last.

    Depth-first over ``parents`` in argument order; a node is marked when it is *expanded*, not when
    it is pushed, so a node reached twice before its first expansion is still placed after all of its
    inputs (``c = x*x; c + c*c``). The non-leaves come in the order `backward` processes them (in
    reverse); leaves are placed where the walk first reaches them. The walk only reads the graph
    (the marks are a set of node ids, used for membership, never for order), so any number of
    threads may walk one graph at once.
    """
    order: list[Value] = []
    seen: set[int] = set()
    mark = seen.add
    stack: list = [root]
    push, pop, place = stack.append, stack.pop, order.append
    while stack:
        v = pop()
        if v is _PLACE:
            place(pop())
            continue
        if id(v) in seen:
            continue
        mark(id(v))
        a, b = v._a, v._b
        if a is None:
            place(v)
            continue
        push(v)
        push(_PLACE)
        # Pushed last to first, so the first argument is expanded first.
        if b is None or b is LEFT:
            if id(a) not in seen:
                push(a)
        elif b is NARY:
            for p in reversed(a):
                if id(p) not in seen:
                    push(p)
        else:
            if id(b) not in seen:
                push(b)
            if id(a) not in seen:
                push(a)
    return order


_PLACE = object()  # on the stack, means: the node just below is complete; place it


@contextmanager
def gc_paused():
    """Pause Python's cycle collector inside a ``with`` block; restore its previous state after.

    A chainrule graph holds no reference cycles (a node refers only to its parents), so dropping a
    graph frees it at once by reference counting and the cycle collector never finds anything in
    it. It still *looks*: every few hundred allocations it walks the objects made since its last
    run, and now and then all of them, so building a graph of a million nodes spends more time in
    the collector than in the arithmetic (see benchmarks/). Build and differentiate big graphs
    inside this block when that matters; graph walks (`topological_order`, `backward`) pause it
    on their own. Cycles your own code creates inside the block are collected after it.

    >>> from autograd import Value, gc_paused, sum_values
    >>> import gc
    >>> with gc_paused():
    ...     y = sum_values([Value(float(i)) * 2.0 for i in range(1000)])
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    if not gc.isenabled():  # already paused by the caller: leave it as it was
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def leaves(root: Value) -> list[Value]:
    """The leaves ``root`` depends on (the inputs and parameters), in topological order."""
    return [v for v in topological_order(root) if v._a is None]


def depends_on(root: Value, node: Value) -> bool:
    """True when ``node`` is ``root`` or one of the nodes ``root`` was computed from."""
    return any(v is node for v in topological_order(root))


def paths(source: Value, root: Value) -> Iterator[list[tuple[Value, int]]]:
    """Every path from ``source`` up to ``root``, lazily, in a deterministic order.

    A path is a list of steps ``(node, i)``: ``node.parents[i]`` is the previous node on the path,
    starting from ``source``; the last step's node is ``root``. ``a*a`` gives two paths through the
    same node, one per argument slot, because each slot contributes its own term.
    """
    order = topological_order(root)
    # consumers[v]: the (node, slot) pairs that read v, among nodes root depends on
    consumers: dict[int, list[tuple[Value, int]]] = {}
    reaches_source: dict[int, bool] = {}
    for v in order:
        reaches = v is source
        for i, p in enumerate(v.parents):
            consumers.setdefault(id(p), []).append((v, i))
            reaches = reaches or reaches_source[id(p)]
        reaches_source[id(v)] = reaches
    if not reaches_source.get(id(source)):
        return
    if source is root:
        yield []
        return
    # Iterative depth-first search from source forwards to root, over one shared path that grows
    # and shrinks by a step (copying it at every step would be quadratic in the path's length).
    path: list[tuple[Value, int]] = []
    stack = [iter(consumers.get(id(source), ()))]
    while stack:
        step = next(stack[-1], None)
        if step is None:  # every way on from here is done: step back
            stack.pop()
            if path:
                path.pop()
            continue
        path.append(step)
        if step[0] is root:
            yield list(path)
            path.pop()
            continue
        stack.append(iter(consumers.get(id(step[0]), ())))


def count_paths(source: Value, root: Value) -> int:
    """How many paths lead from ``source`` to ``root``, counted without listing them."""
    order = topological_order(root)
    count: dict[int, int] = {}
    for v in order:
        n = 1 if v is source else 0
        for p in v.parents:
            n += count.get(id(p), 0)
        count[id(v)] = n
    return count.get(id(root), 0)


def describe_nonfinite(root: Value, order: list[Value] | None = None) -> str | None:
    """Say where the first NaN or infinity in ``root``'s graph appeared, or None when there is none.

    Forward values are checked inputs-first, then gradients root-first (the order backward fills
    them), so the node named is where the problem started, not where it spread to.
    """
    return describe_nonfinite_in(order if order is not None else topological_order(root))


def check_finite(root: Value) -> None:
    """Raise `NonFiniteError` naming the first non-finite value or gradient in ``root``'s graph."""
    problem = describe_nonfinite(root)
    if problem:
        raise NonFiniteError(problem)


class SiblingOutputs:
    """The named outputs of one operation that makes one node per index over the same arguments
    (softmax: ŷᵢ = softmax(i, z₁, …, zₖ), the index the first constant), found among ``nodes`` and
    ``outputs`` (the network's outputs, which may lie outside the graph shown), so that a partial can
    name them: ∂ŷ₂/∂z₁ = −ŷ₂ŷ₁. Only a named output stands in a product as it is; an unnamed one is
    left out (None) and the partial writes its formula. Built on the first question, then read."""

    def __init__(self, nodes, outputs=()) -> None:
        self._nodes = (*[u for u in outputs if isinstance(u, Value)], *nodes)
        self._by_arguments: dict | None = None

    def of(self, v: Value) -> list:
        """The named node of each index for ``v``'s operation and arguments, or None."""
        if self._by_arguments is None:
            self._by_arguments = {}
            for u in self._nodes:
                if u.label and u.parents and u.consts and ops.RULES[u.op].names_other_outputs:
                    self._by_arguments.setdefault((u.op, tuple(map(id, u.parents))), {})[int(u.consts[0])] = u
        found = self._by_arguments.get((v.op, tuple(map(id, v.parents))), {})
        return [found.get(j) for j in range(len(v.parents))]
