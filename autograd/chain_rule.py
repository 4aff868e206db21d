"""The chain rule: `backward`, which fills every node's ``grad``, and `zero_grad`.

`backward` is the one place the chain rule is applied. It walks the node slots directly (their
layout is in slots.py) and needs nothing of the Value class, so value.py imports it and not the
reverse. The walk's order and its in-place marks are described in `_backward_order`.
"""

from __future__ import annotations

import math
import threading
from operator import attrgetter

from autograd.coerce import as_float
from autograd.errors import NonFiniteError
from autograd.slots import LEFT, NARY

_INF = math.inf

# backward marks nodes in place (see `_backward_order`) and adds into shared grads: two threads
# differentiating one graph at the same moment would corrupt each other's marks and sums. Every
# backward pass holds this lock, so concurrent calls take turns and each one is exact (leaf
# gradients then add up as if the calls had been made one after the other).
walk_lock = threading.RLock()


def _backward_order(root) -> tuple[list, list]:
    """(the leaves, the non-leaves) ``root`` depends on, the non-leaves in topological order;
    their grads are set to 0 on the way (backward recomputes them; leaves accumulate).

    Depth-first over the parents in argument order, iteratively. A non-leaf is *opened* when it is
    first expanded and placed when it comes back up the stack with its inputs all placed; a node
    reached twice before its first expansion is therefore still placed after all of its inputs
    (``c = x*x; c + c*c``). Leaves are never pushed: they are listed when first seen.

    Nodes carry no slot of their own for the walk (a slot costs every node memory and collector
    time). A non-leaf's grad is reset anyway, so the reset value marks it: ``opened`` and ``done``
    are two float zeros made for this walk, told apart by identity, and a non-leaf whose grad
    *is* one of them has been reached. A leaf is marked in its ``_da`` slot, which leaves do not
    use. Marks left by earlier walks never match, since these objects are new. Callers hold
    `walk_lock`.
    """
    inner: list = []
    leaves: list = []
    opened, done = float("0"), float("0")  # two distinct objects equal to 0.0
    stack = [root]
    push, pop, place, leaf = stack.append, stack.pop, inner.append, leaves.append
    while stack:
        v = pop()
        g = v.grad
        if g is opened:  # back up: every input is placed
            v.grad = done
            place(v)
            continue
        if g is done:
            continue
        v.grad = opened
        push(v)
        a, b = v._a, v._b
        # Pushed last to first, so that the first argument is expanded first.
        if b is None or b is LEFT:
            if a._a is None:
                if a._da is not done:
                    a._da = done
                    leaf(a)
            elif a.grad is not done:
                push(a)
        elif b is NARY:
            for p in reversed(a):
                if p._a is None:
                    if p._da is not done:
                        p._da = done
                        leaf(p)
                elif p.grad is not done:
                    push(p)
        else:
            if b._a is None:
                if b._da is not done:
                    b._da = done
                    leaf(b)
            elif b.grad is not done:
                push(b)
            if a._a is None:
                if a._da is not done:
                    a._da = done
                    leaf(a)
            elif a.grad is not done:
                push(a)
    return leaves, inner


_grad_of = attrgetter("grad")


def backward(root, grad: float = 1.0) -> list:
    """Run reverse-mode differentiation from ``root``; see `Value.backward` for the semantics.

    The one place the chain rule is applied: for each node, in reverse topological order, its grad
    (∂root/∂node, complete by then) times each local partial is added into the parent's grad.

    Thread safety: backward holds a lock for the whole pass, so calls from several threads on one
    graph (or on graphs that share leaves) run one after the other and each is exact.

    Returns:
        The topological order used (the leaves, then the other nodes), so callers can reuse it.

    Raises:
        ValueError: the seed ``grad`` is NaN or infinite. TypeError: it is not a number.
        NonFiniteError: a gradient overflowed to infinity or became NaN; names the first node.
    """
    if grad.__class__ is not float or not -_INF < grad < _INF:
        grad = as_float(grad, "the seed of backward(grad)")
    with walk_lock:
        if root._a is None:  # a leaf: its gradient with respect to itself, accumulated
            root.grad += grad
            leaves = order = [root]
        else:
            leaves, inner = _backward_order(root)
            root.grad = grad
            for v in reversed(inner):
                g = v.grad
                if g == 0.0:
                    continue  # contributes nothing (a dead relu, an unused branch)
                b = v._b
                if b is None or b is LEFT:
                    v._a.grad += g * v._da
                elif b is NARY:
                    for p, d in zip(v._a, v._da):
                        p.grad += g * d
                else:
                    v._a.grad += g * v._da
                    b.grad += g * v._db
            order = leaves + inner
        # Only the leaves need a look: a NaN or infinity anywhere in the graph reaches them (it is
        # multiplied into every parent's grad, and 0·∞ is NaN). One pass in C: the sum is finite
        # unless a grad is not (or the sum overflows, which the exact check below then clears).
        if not -_INF < sum(map(_grad_of, leaves)) < _INF:
            problem = describe_nonfinite_in(order)
            if problem:
                raise NonFiniteError(problem)
    return order


def zero_grad(root) -> None:
    """Set ``grad`` to 0.0 on ``root`` and every node it depends on."""
    with walk_lock:
        if root._a is None:
            root.grad = 0.0
            return
        leaves, _ = _backward_order(root)  # the walk zeroes the non-leaves
        for v in leaves:
            v.grad = 0.0


def describe_nonfinite_in(order: list) -> str | None:
    """Say where the first NaN or infinity among the nodes of ``order`` (a topological order)
    appeared, or None when there is none.

    Forward values are checked inputs-first, then gradients root-first (the order backward fills
    them), so the node named is where the problem started, not where it spread to.
    """
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


def _node_name(v) -> str:
    if v.label:
        return repr(v.label)
    if v.op:
        return f"the output of {v.op} (data {v.data!r})"
    return f"an unnamed leaf (data {v.data!r})"
