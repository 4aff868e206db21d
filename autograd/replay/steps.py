"""The steps of a compiled program: each runs forward on whole blocks and backward into them.

Every step has ``forward(values, offset)``, returning what its backward needs, and
``backward(values, saved, grads, program, summed)``. Values and partials come from the rules of
ops.py called with `NUMPY`; a step whose rule is not total checks that what it made is finite and
names the node, the arguments and the sample when it is not.

A ``program`` argument is the `Program` being built or run (program.py), passed in: program.py
imports this module, not the reverse.
"""

from __future__ import annotations

import math

import numpy as np

from autograd import ops
from autograd.errors import DomainError
from autograd.replay.numpy_math import NUMPY
from autograd.replay.rows import Rows, add_reduce
from autograd.value import Value


_isfinite = math.isfinite


# Rules whose value and partials are finite wherever their arguments are (bounded functions, or
# relu and neg): their steps need no check, since every argument was checked where it was made.
# tests/test_replay_blocks.py checks the claim on extreme arguments.
TOTAL_RULES = frozenset({"neg", "relu", "tanh", "sigmoid", "sin", "cos", "abs", "softplus", "max", "min"})


def all_finite(a) -> bool:
    """Whether every entry of ``a`` is finite: one pass (the sum is finite unless an entry is not, or
    the sum overflows, which the exact test then clears)."""
    return _isfinite(add_reduce(a, axis=None)) or bool(np.isfinite(a).all())


def all_finite_in(arrays: list) -> bool:
    """Whether every entry of every array is finite; small arrays are checked in one pass together."""
    if sum(a.size for a in arrays) <= 1 << 16:
        return all_finite(np.concatenate([a.ravel() for a in arrays]))
    return all(all_finite(a) for a in arrays)


class ElementwiseStep:
    """One fixed-arity rule applied to several nodes at once, row by row."""

    __slots__ = ("rule", "block", "args", "nodes", "parents_at", "checked", "fns")

    def __init__(self, rule: ops.Rule, block: int, args: list, nodes: list) -> None:
        self.rule, self.block, self.args, self.nodes = rule, block, args, nodes
        self.parents_at = [k for k, a in enumerate(args) if isinstance(a, Rows)]
        self.checked = rule.name not in TOTAL_RULES
        if rule.constant_partials is not None:
            self.fns = [_constant(rule.constant_partials[k]) for k in self.parents_at]
        else:
            self.fns = [rule.partials[k] for k in self.parents_at]

    def sort_rows(self, program, keys: list) -> None:
        """Put this step's nodes in the order of ``keys`` (one per node); readers of its block follow."""
        order = sorted(range(len(self.nodes)), key=keys.__getitem__)
        if order == list(range(len(order))):
            return
        self.nodes = [self.nodes[i] for i in order]
        for a in self.args:
            if isinstance(a, Rows):
                a.rows = [a.rows[i] for i in order]
                a.arrange(program)
            else:
                a.values = a.values[order]
        new_row = [0] * len(order)
        for new, old in enumerate(order):
            new_row[old] = new
        program.move_rows(self.block, new_row)

    def forward(self, values: list, offset: int, pending: list):
        rule = self.rule
        xs = [a.take(values) for a in self.args]
        try:
            out = rule.forward(NUMPY, *xs)
            ds = [fn(NUMPY, out, *xs) for fn in self.fns]
        except (ArithmeticError, ValueError) as e:
            raise DomainError(f"{rule.name} cannot be evaluated on this batch: {rule.domain or e} ({e})") from None
        if self.checked:
            pending.append(out)
            for d in ds:
                # A partial that is one of the arguments is finite already; check computed ones.
                if d.__class__ is np.ndarray and not _is_one_of(d, xs):
                    pending.append(d)
        values[self.block] = out
        return ds

    def check(self, values: list, ds: list, offset: int) -> None:
        xs = [a.take(values) for a in self.args]
        _check(self.rule, self.nodes, xs, values[self.block], ds, self.parents_at, offset)

    def backward(self, values: list, ds: list, grads: list, program, summed: bool) -> None:
        g = grads[self.block]
        if g is None:
            return  # nothing depends on these nodes
        args = self.args
        for d, k in zip(ds, self.parents_at):
            if d.__class__ is float and d == 1.0:
                args[k].add(grads, g, program, summed)
            else:
                args[k].add(grads, g * d, program, summed, fresh=True)


class AffineStep:
    """The units of one layer: Z = W·X (+ b), every unit a row of Z."""

    __slots__ = ("block", "k", "n", "w", "x", "b", "nodes")

    def __init__(self, block, k, n, w, x, b, nodes) -> None:
        self.block, self.k, self.n, self.w, self.x, self.b, self.nodes = block, k, n, w, x, b, nodes

    def forward(self, values: list, offset: int, pending: list):
        W = self.w.take(values).reshape(self.k, self.n)
        X = self.x.take(values)
        Z = W @ X
        if self.b is not None:
            Z += self.b.take(values)
        pending.append(Z)
        values[self.block] = Z
        return W, X

    def check(self, values: list, saved, offset: int) -> None:
        Z = values[self.block]
        if not all_finite(Z):
            bias = self.b.take(values) if self.b is not None else None
            raise _affine_error(self.nodes, saved[0], saved[1], bias, Z, offset)

    def backward(self, values: list, saved, grads: list, program, summed: bool) -> None:
        G = grads[self.block]
        if G is None:
            return
        W, X = saved
        if summed:
            dW = G @ X.T if X.shape[1] == G.shape[1] else G.sum(axis=1, keepdims=True) @ X.T
            self.w.add(grads, dW.reshape(-1, 1), program, summed, fresh=True)
        else:
            dW = (G[:, None, :] * X[None, :, :]).reshape(self.k * self.n, -1)
            self.w.add(grads, dW, program, summed, fresh=True)
        if self.b is not None:
            self.b.add(grads, G, program, summed)
        self.x.add(grads, W.T @ G, program, summed, fresh=True)


class SumStep:
    """Σ of several rows (of one or more blocks) and constants."""

    __slots__ = ("block", "parts", "constant", "node")

    def __init__(self, block, parts, constant, node) -> None:
        self.block, self.parts, self.constant, self.node = block, parts, constant, node

    def forward(self, values: list, offset: int, pending: list):
        total = None
        for part in self.parts:
            s = add_reduce(part.take(values), axis=0, keepdims=True)
            total = s if total is None else total + s
        if self.constant:
            total = total + self.constant
        pending.append(total)
        values[self.block] = total
        return None

    def check(self, values: list, saved, offset: int) -> None:
        total = values[self.block]
        if not all_finite(total):
            raise DomainError(f"sum at sample {offset + int(np.flatnonzero(~np.isfinite(total[0]))[0])} "
                              f"of the batch: the result is not finite; the result overflows float64")

    def backward(self, values: list, saved, grads: list, program, summed: bool) -> None:
        g = grads[self.block]
        if g is None:
            return
        for part in self.parts:
            part.add(grads, g, program, summed)


class NodeStep:
    """One node of any rule, replayed on its own."""

    __slots__ = ("rule", "block", "args", "node", "parents_at")

    def __init__(self, rule: ops.Rule, block: int, args: list, node: Value) -> None:
        self.rule, self.block, self.args, self.node = rule, block, args, node
        self.parents_at = [k for k, a in enumerate(args) if isinstance(a, Rows)]

    def forward(self, values: list, offset: int, pending: list):
        rule = self.rule
        xs = [a.take(values) for a in self.args]
        try:
            out = rule.forward(NUMPY, *xs)
            if rule.arity is None:
                every = rule.nary_partials(NUMPY, out, tuple(xs))
                ds = [every[k] for k in self.parents_at]
            else:
                ds = [rule.partials[k](NUMPY, out, *xs) for k in self.parents_at]
        except (ArithmeticError, ValueError) as e:
            raise DomainError(f"{rule.name} cannot be evaluated on this batch: {rule.domain or e} ({e})") from None
        out = np.asarray(out, dtype=float).reshape(1, -1)
        pending.append(out)
        given = {id(x) for x in xs}  # a partial that is an argument is finite already
        for d in ds:
            if d.__class__ is np.ndarray and id(d) not in given:
                pending.append(d)
        values[self.block] = out
        return ds

    def check(self, values: list, ds: list, offset: int) -> None:
        xs = [a.take(values) for a in self.args]
        _check(self.rule, [self.node], xs, values[self.block], ds, self.parents_at, offset)

    def backward(self, values: list, ds: list, grads: list, program, summed: bool) -> None:
        g = grads[self.block]
        if g is None:
            return
        for d, k in zip(ds, self.parents_at):
            contribution = g if (d.__class__ is float and d == 1.0) else g * d
            if contribution.__class__ is not np.ndarray:
                contribution = np.full((1, 1), contribution)
            self.args[k].add(grads, contribution, program, summed)


def _check(rule: ops.Rule, nodes: list, xs: list, out, ds: list, parents_at: list, offset: int) -> None:
    """Raise the DomainError of the first non-finite result or partial of a step, if any."""
    if not all_finite(out):
        raise _domain_error(rule, nodes, xs, out, "the result", offset)
    for d, k in zip(ds, parents_at):
        if d.__class__ is np.ndarray and not all_finite(d):
            raise _domain_error(rule, nodes, xs, d, f"its derivative in argument {k + 1}", offset)


def _constant(d: float):
    return lambda m, out, *xs: d


def _is_one_of(d, xs) -> bool:
    """Whether ``d`` is one of the (one or two) arguments of an elementwise step."""
    for x in xs:
        if d is x:
            return True
    return False


def _first_bad(bad) -> tuple[int, int, int]:
    """(row, column, how many columns of that row are not finite) of the first non-finite entry."""
    bad = np.atleast_2d(np.asarray(bad, dtype=float))
    rows, cols = np.nonzero(~np.isfinite(bad))
    r, c = int(rows[0]), int(cols[0])
    return r, c, int((~np.isfinite(bad[r])).sum())


def _domain_error(rule: ops.Rule, nodes: list, xs: list, bad, what: str, offset: int) -> DomainError:
    r, c, count = _first_bad(bad)
    node = nodes[min(r, len(nodes) - 1)]
    labels = iter(p.label for p in node.parents)
    consts = node.consts if node.consts is not None else (None,) * len(node.parents)
    shown = []
    for k, x in enumerate(xs):
        a = np.atleast_2d(np.asarray(x, dtype=float))
        value = float(a[min(r, a.shape[0] - 1), min(c, a.shape[1] - 1)])
        label = next(labels) if consts[k] is None else ""
        shown.append((f"{label}=" if label else "") + repr(value))
    why = rule.domain or "the result is not a finite number"
    width = np.atleast_2d(np.asarray(bad)).shape[-1]
    if width == 1 and not any(np.atleast_2d(np.asarray(x)).shape[-1] > 1 for x in xs):
        return DomainError(f"{rule.name}({', '.join(shown)}) is not finite (the same for every sample): "
                           f"{what} is not finite; {why}")
    return DomainError(f"{rule.name}({', '.join(shown)}) at sample {offset + c} of the batch ({count} sample(s) "
                       f"in all): {what} is not finite; {why}")


def _affine_error(nodes, W, X, bias, Z, offset) -> DomainError:
    r, c, count = _first_bad(Z)
    node = nodes[r]
    parts = [f"{w!r}·{x!r}" for w, x in zip(W[r].tolist(), X[:, min(c, X.shape[1] - 1)].tolist())]
    if bias is not None:
        parts.append(repr(float(np.atleast_2d(bias)[r, min(c, np.atleast_2d(bias).shape[1] - 1)])))
    name = f"{node.label!r} = " if node.label else ""
    return DomainError(f"linear {name}{' + '.join(parts)} at sample {offset + c} of the batch ({count} sample(s) "
                       f"in all): the result is not finite; the result overflows float64")
