"""Walking a recorded graph: topological order, backward (the chain rule, written once), zero_grad,
paths between two nodes, and the search for the first non-finite number.

Every walk is iterative, so a chain of a million operations needs no recursion limit, and every order
comes from the graph's structure (parents in argument order), never from ``id()``: the same program
visits nodes in the same order every time.
"""

from __future__ import annotations

import gc
import math
from contextlib import contextmanager
from operator import attrgetter
from typing import Iterator

from autograd.errors import NonFiniteError
from autograd.value import Value

_INF = math.inf


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, inputs first and ``root`` last.

    Depth-first over ``parents`` in argument order; a node is marked when it is *expanded*, not when
    it is pushed, so a node reached twice before its first expansion is still placed after all of its
    inputs (``c = x*x; c + c*c``). The walk marks nodes in place (a private slot), so one graph
    must not be walked by two threads at the same moment.
    """
    with gc_paused():  # a walk allocates; see gc_paused for why the collector is only in the way
        return _walk(root)[0]


_PLACE = object()  # on the stack, means: the node just below is complete; place it


def _walk(root: Value, zero_inner: bool = False) -> tuple[list[Value], list[Value]]:
    """(topological order, its non-leaves in the same order); ``zero_inner``: also set their grads
    to 0 on the way, as backward needs (one walk instead of a walk and two passes)."""
    order: list[Value] = []
    inner: list[Value] = []
    # A node is expanded when its private ``_mark`` is this walk's token: a fresh object, so marks
    # left by earlier walks never match. (Faster than a set of every node, and no memory per walk.)
    token = object()
    stack: list = [root]
    push, pop, place, place_inner = stack.append, stack.pop, order.append, inner.append
    while stack:
        v = pop()
        if v is _PLACE:
            v = pop()
            place(v)
            place_inner(v)
            continue
        if v._mark is token:
            continue
        v._mark = token
        parents = v.parents
        if not parents:
            place(v)
            continue
        if zero_inner:
            v.grad = 0.0
        push(v)
        push(_PLACE)
        # Pushed last to first, so the first argument is expanded first; two parents (the common
        # case) spelled out because it is measurably faster than reversed().
        if len(parents) == 2:
            first, second = parents
            if second._mark is not token:
                push(second)
            if first._mark is not token:
                push(first)
            continue
        for p in reversed(parents):
            if p._mark is not token:
                push(p)
    return order, inner


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


def backward(root: Value, grad: float = 1.0) -> list[Value]:
    """Run reverse-mode differentiation from ``root``; see `Value.backward` for the semantics.

    The one place the chain rule is applied: for each node, in reverse topological order, its grad
    (∂root/∂node, complete by then) times each local partial is added into the parent's grad.

    Returns:
        The topological order used, so callers can reuse it.
    """
    with gc_paused():
        order, inner = _walk(root, zero_inner=True)  # non-leaves: from zero; leaves accumulate
    root.grad = root.grad + grad if not root.parents else grad
    for v in reversed(inner):
        g = v.grad
        if g == 0.0:
            continue  # contributes nothing (a dead relu, an unused branch)
        parents = v.parents
        if len(parents) == 2:
            a, b = parents
            da, db = v.partials
            a.grad += g * da
            b.grad += g * db
        elif len(parents) == 1:
            parents[0].grad += g * v.partials[0]
        else:
            for p, d in zip(parents, v.partials):
                p.grad += g * d
    # One pass in C over the leaves' grads: their sum is finite unless one of them is not (or the
    # sum overflows, which the exact check below then clears).
    if not -_INF < sum(map(_grad_of, order)) < _INF:
        problem = describe_nonfinite(root, order)
        if problem:
            raise NonFiniteError(problem)
    return order


_grad_of = attrgetter("grad")


def zero_grad(root: Value) -> None:
    """Set ``grad`` to 0.0 on ``root`` and every node it depends on."""
    for v in topological_order(root):
        v.grad = 0.0


def leaves(root: Value) -> list[Value]:
    """The leaves ``root`` depends on (the inputs and parameters), in topological order."""
    return [v for v in topological_order(root) if not v.parents]


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
    order = order if order is not None else topological_order(root)
    for v in order:
        if not -_INF < v.data < _INF:
            return f"the forward value of {_node_name(v)} is {v.data!r}"
    for v in reversed(order):
        if not -_INF < v.grad < _INF:
            return (f"the gradient of {_node_name(v)} is {v.grad!r}: the product of upstream gradients "
                    f"and local partials overflowed; rescale the inputs or use a smaller learning rate")
        for p, d in zip(v.parents, v.partials):
            if not -_INF < d < _INF:
                return f"the local partial ∂{_node_name(v)}/∂{_node_name(p)} is {d!r}"
    return None


def check_finite(root: Value) -> None:
    """Raise `NonFiniteError` naming the first non-finite value or gradient in ``root``'s graph."""
    problem = describe_nonfinite(root)
    if problem:
        raise NonFiniteError(problem)


def _node_name(v: Value) -> str:
    if v.label:
        return repr(v.label)
    if v.op:
        return f"the output of {v.op} (data {v.data!r})"
    return f"an unnamed leaf (data {v.data!r})"
