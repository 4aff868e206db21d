"""Batched replay: record a scalar graph once, then run it forward and backward on a whole batch.

The scalar engine builds one graph per sample, which is what makes it explainable and also what
makes it slow for training. A `Replay` takes a graph built once (for one sample) and the leaves that
stand for the sample's inputs, and evaluates the same graph on numpy arrays holding every sample at
once. Nothing here knows a derivative: each node's forward value and local partials come from the
same rule in ops.py, called with `NUMPY` (a math namespace with the names of `ops.ScalarMath`) in
place of ``ops.SCALAR``. Nodes that do not depend on any input (a weight-decay term, say) are
computed once with ``ops.SCALAR``, exactly as the scalar engine would.

The other leaves are the parameters. Their values are read from ``.data`` at every `Replay.forward`,
so an optimizer that updates ``p.data`` in place works unchanged.

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
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

from autograd import ops
from autograd.errors import DomainError
from autograd.graph import topological_order
from autograd.value import Value

__all__ = ["NUMPY", "NumpyMath", "Replay"]


class NumpyMath:
    """The numpy counterpart of `ops.ScalarMath`: the same names, applied elementwise to arrays.

    The numerically careful forms are the same as the scalar ones (``sigmoid`` and ``softplus``
    never exponentiate a large positive number; ``logsumexp`` subtracts the largest argument), so a
    replayed batch agrees with the scalar engine sample by sample. ``sum`` adds a list of arrays and
    numbers left to right, as Python's ``sum`` does for the scalar engine.
    """

    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    tanh = staticmethod(np.tanh)
    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    sqrt = staticmethod(np.sqrt)
    fabs = staticmethod(np.fabs)
    pow = staticmethod(np.power)

    @staticmethod
    def sigmoid(x):
        e = np.exp(-np.abs(x))  # e^−|x| ≤ 1: never overflows
        return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))

    @staticmethod
    def softplus(x):
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def relu(x):
        return np.where(x > 0.0, x, 0.0)

    @staticmethod
    def step(x):
        return np.where(x > 0.0, 1.0, 0.0)

    @staticmethod
    def sign(x):
        return np.sign(x)

    @staticmethod
    def logsumexp(xs: Sequence):
        top = xs[0]
        for x in xs[1:]:
            top = np.maximum(top, x)
        total = 0.0
        for x in xs:
            total = total + np.exp(x - top)
        return top + np.log(total)

    @staticmethod
    def is_integer(x):
        return np.floor(x) == x

    @staticmethod
    def sum(xs: Sequence):
        total = xs[0]
        for x in xs[1:]:
            total = total + x  # a new array each time: the terms may be other nodes' values
        return total


NUMPY = NumpyMath()


class Replay:
    """A recorded graph that evaluates a batch of samples at once, forward and backward.

    Args:
        root: the output Value of a graph built once, e.g. one sample's loss.
        inputs: the leaves that hold a sample's inputs (Values, or the labels of leaves of the graph),
            in the order of a batch's columns. Every other leaf is a parameter.

    Attributes:
        root (Value): the recorded output.
        inputs (tuple[Value, ...]): the input leaves, in column order.
        parameters (tuple[Value, ...]): the other leaves, in topological order; gradients are
            returned in this order.
        batch_size (int): the number of samples of the last `forward` (0 before it).

    Raises:
        TypeError: ``root`` is not a Value.
        ValueError: an input is not a leaf, is given twice, or a label names no leaf of the graph or
            several. (A leaf the root does not depend on is accepted: its column is ignored and its
            gradient is 0.)

    The recorded structure is fixed: a later change to the graph's shape needs a new Replay. Values
    of parameters are read again at every `forward`.
    """

    def __init__(self, root: Value, inputs: Sequence) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"Replay records the graph of a Value, got {type(root).__name__}")
        order = topological_order(root)
        index = {id(v): i for i, v in enumerate(order)}
        leaves = [v for v in order if not v.parents]
        resolved = tuple(_resolve_input(x, leaves, index) for x in inputs)
        seen = set()
        for x in resolved:
            if id(x) in seen:
                raise ValueError(f"input {_name(x)} is given twice; list each input leaf once")
            seen.add(id(x))
        self.root = root
        self.inputs = resolved
        self.parameters = tuple(v for v in leaves if id(v) not in seen)
        self.batch_size = 0
        self._size = len(order)
        self._nodes = order
        self._root_slot = index[id(root)]
        self._input_slots = tuple(index.get(id(x)) for x in resolved)  # None: not used by the root
        self._param_slots = tuple(index[id(p)] for p in self.parameters)
        varying = [False] * len(order)
        for s in self._input_slots:
            if s is not None:
                varying[s] = True
        # One step per operation node: (rule, out slot, varies?, argument template, parent slots).
        # The template is the full argument list with the constants in place and None where a
        # parent's value goes; `slots` lists, per parent, (its slot, its position in the template).
        steps = []
        for i, v in enumerate(order):
            if not v.parents:
                continue
            parent_slots = [index[id(p)] for p in v.parents]
            varies = any(varying[s] for s in parent_slots)
            varying[i] = varies
            template = list(v.consts) if v.consts is not None else [None] * len(parent_slots)
            positions = [k for k, c in enumerate(template) if c is None]
            steps.append((ops.RULES[v.op], i, varies, template, tuple(zip(parent_slots, positions))))
        self._steps = steps
        self._varying = varying
        self._values: list = []
        self._partials: list = []
        self._grads: list | None = None

    # -----------------------------------------------------------------------------------------
    def forward(self, batch) -> np.ndarray:
        """Evaluate the graph on every sample of ``batch``; remember what backward needs.

        Args:
            batch: a 2-D array-like of shape (samples, inputs), columns in the order of ``inputs``;
                a 1-D array-like when there is one input; or a mapping from each input (Value or
                label) to a 1-D array-like of the samples' values.

        Returns:
            The root's value for each sample, shape (samples,).

        Raises:
            DomainError: an operation is undefined or not finite for some sample; the message
                names the operation, the sample's index in the batch and its argument values.
            ValueError / TypeError: the batch has the wrong shape or is not numeric.
        """
        columns = self._columns(batch)
        values: list = [None] * self._size
        partials: list = [None] * self._size
        for s, col in zip(self._input_slots, columns):
            if s is not None:
                values[s] = col
        nodes = self._nodes
        for s in self._param_slots:
            values[s] = nodes[s].data
        vector = NUMPY
        with np.errstate(all="ignore"):  # a non-finite result is reported below, with its sample
            for rule, out_slot, varies, template, slots in self._steps:
                args = template.copy()
                for s, k in slots:
                    args[k] = values[s]
                if not varies:  # the same for every sample: the scalar engine's own arithmetic
                    values[out_slot], partials[out_slot] = _scalar_step(rule, args, slots)
                    continue
                try:
                    out = rule.forward(vector, *args)
                    if not np.isfinite(out).all():
                        raise self._domain_error(rule, args, slots, out, "the result")
                    if rule.arity is None:
                        every = rule.nary_partials(vector, out, tuple(args))
                        ds = [every[k] for _, k in slots]
                    else:
                        fns = rule.partials
                        ds = [fns[k](vector, out, *args) for _, k in slots]
                except (ArithmeticError, ValueError) as e:  # e.g. 1/y for a parameter y = 0
                    if isinstance(e, DomainError):
                        raise
                    raise DomainError(f"{rule.name} cannot be evaluated on this batch: {rule.domain or e} "
                                      f"({e})") from None
                for d, (_, k) in zip(ds, slots):
                    # A partial that is one of the arguments is finite already; check computed ones.
                    if d.__class__ is np.ndarray and not any(d is a for a in args) and not np.isfinite(d).all():
                        raise self._domain_error(rule, args, slots, d, f"its derivative in argument {k + 1}")
                values[out_slot] = out
                partials[out_slot] = ds
        self._values, self._partials, self._grads = values, partials, None
        root = values[self._root_slot]
        return np.array(np.broadcast_to(root, (self.batch_size,)), dtype=float)

    def backward(self, weights=None, per_sample: bool = False, accumulate: bool = False) -> np.ndarray:
        """Gradients of the root with respect to the parameters, for the batch of the last `forward`.

        Args:
            weights: one factor per sample multiplying that sample's root (default 1 each); e.g.
                ``np.full(n, 1 / n)`` gives the gradient of the batch mean.
            per_sample: return one row of gradients per sample instead of their sum.
            accumulate: add the summed gradients into each parameter's ``.grad``, as
                ``Value.backward`` does for leaves (so an optimizer can step as usual).

        Returns:
            Summed over samples: shape (len(parameters),), in the order of ``parameters``.
            Per sample: shape (samples, len(parameters)).

        Raises:
            RuntimeError: `forward` has not been run.
            ValueError: ``weights`` does not have one entry per sample.
        """
        if not self._values:
            raise RuntimeError("call forward(batch) before backward(): the gradients are of that batch")
        n = self.batch_size
        if weights is None:
            seed = np.ones(n)
        else:
            seed = np.asarray(weights, dtype=float)
            if seed.shape != (n,):
                raise ValueError(f"weights needs one number per sample, shape ({n},), got shape {seed.shape}")
        summed = not per_sample
        varying, partials = self._varying, self._partials
        grads: list = [None] * self._size
        root = self._root_slot
        if varying[root] or not summed:
            grads[root] = seed
        else:
            grads[root] = float(seed.sum())
        for _rule, out_slot, varies, _template, slots in reversed(self._steps):
            g = grads[out_slot]
            if g is None:
                continue  # nothing depends on this node (or only through constant-zero paths)
            g_total = None
            for (s, _), d in zip(slots, partials[out_slot]):
                if varies and summed and not varying[s]:
                    # A parent that is the same for every sample needs only the sum over samples
                    # of g·d (the chain rule is linear in g), so it gets a plain number.
                    if d.__class__ is np.ndarray:
                        c = float(np.dot(g, d))
                    else:
                        if g_total is None:
                            g_total = float(g.sum())
                        c = g_total * d
                elif d.__class__ is float and d == 1.0:
                    c = g
                else:
                    c = g * d
                prev = grads[s]
                grads[s] = c if prev is None else prev + c  # never in place: arrays may be shared
        self._grads = grads
        if summed:
            result = np.array([_total(grads[s]) for s in self._param_slots], dtype=float)
            if accumulate:
                for p, g in zip(self.parameters, result.tolist()):
                    p.grad += g
            return result
        result = np.zeros((n, len(self._param_slots)))
        for j, s in enumerate(self._param_slots):
            if grads[s] is not None:
                result[:, j] = grads[s]
        if accumulate:
            for p, g in zip(self.parameters, result.sum(axis=0).tolist()):
                p.grad += g
        return result

    def input_gradients(self) -> np.ndarray:
        """∂(weighted root)/∂input for each sample of the last `backward`: shape (samples, inputs).

        Each sample's inputs are its own, so these are per sample whatever ``per_sample`` was.
        """
        if self._grads is None:
            raise RuntimeError("call backward() first")
        result = np.zeros((self.batch_size, len(self.inputs)))
        for j, s in enumerate(self._input_slots):
            if s is not None and self._grads[s] is not None:
                result[:, j] = self._grads[s]
        return result

    def values_of(self, node: Value) -> np.ndarray:
        """The per-sample values of any node of the recorded graph, from the last `forward`."""
        for s, v in enumerate(self._nodes):
            if v is node:
                if not self._values:
                    raise RuntimeError("call forward(batch) first")
                return np.array(np.broadcast_to(self._values[s], (self.batch_size,)), dtype=float)
        raise ValueError(f"{_name(node)} is not a node of the recorded graph")

    def __repr__(self) -> str:
        names = ", ".join(_name(x) for x in self.inputs)
        return (f"Replay({len(self._steps)} operations, inputs=[{names}], "
                f"{len(self.parameters)} parameters)")

    # -----------------------------------------------------------------------------------------
    def _columns(self, batch) -> list:
        k = len(self.inputs)
        if isinstance(batch, Mapping):
            lookup = {}
            for key, col in batch.items():
                lookup[id(_resolve_input(key, self.inputs, None))] = col
            missing = [_name(x) for x in self.inputs if id(x) not in lookup]
            if missing:
                raise ValueError(f"the batch gives no values for input(s) {', '.join(missing)}")
            cols = [np.asarray(lookup[id(x)], dtype=float) for x in self.inputs]
        else:
            try:
                arr = np.asarray(batch, dtype=float)
            except (TypeError, ValueError) as e:
                raise TypeError(f"a batch must be numeric, shape (samples, {k}): {e}") from None
            if arr.ndim == 1 and k == 1:
                arr = arr[:, None]
            if arr.ndim != 2 or arr.shape[1] != k:
                raise ValueError(f"a batch needs shape (samples, {k}) — one column per input "
                                 f"({', '.join(_name(x) for x in self.inputs)}) — got shape {arr.shape}")
            cols = [np.ascontiguousarray(arr[:, j]) for j in range(k)]
        n = None
        for x, col in zip(self.inputs, cols):
            if col.ndim != 1:
                raise ValueError(f"the values of input {_name(x)} must be 1-D (one per sample), got shape {col.shape}")
            if n is not None and col.shape[0] != n:
                raise ValueError(f"every input needs the same number of samples; {_name(x)} has {col.shape[0]}, not {n}")
            n = col.shape[0]
            bad = np.flatnonzero(~np.isfinite(col))
            if bad.size:
                raise ValueError(f"input {_name(x)} is {col[bad[0]]!r} at sample {bad[0]}: inputs must be finite")
        if not n:
            raise ValueError("a batch needs at least one sample")
        self.batch_size = n
        return cols

    def _domain_error(self, rule: ops.Rule, args: list, slots: tuple, bad, what: str) -> DomainError:
        where = np.flatnonzero(~np.isfinite(np.broadcast_to(bad, (self.batch_size,))))
        i = int(where[0])
        labels = {k: self._nodes[s].label for s, k in slots}
        shown = ", ".join(
            (f"{labels[k]}=" if labels.get(k) else "") + repr(float(np.broadcast_to(a, (self.batch_size,))[i]))
            for k, a in enumerate(args))
        why = rule.domain or "the result is not a finite number"
        return DomainError(f"{rule.name}({shown}) at sample {i} of the batch ({where.size} sample(s) in all): "
                           f"{what} is not finite; {why}")


def _scalar_step(rule: ops.Rule, args: list, slots: tuple):
    m = ops.SCALAR
    try:
        out = rule.forward(m, *args)
        if rule.arity is None:
            every = rule.nary_partials(m, out, tuple(args))
            ds = [every[k] for _, k in slots]
        else:
            ds = [rule.partials[k](m, out, *args) for _, k in slots]
    except (ArithmeticError, ValueError) as e:
        raise DomainError(f"{rule.name}({', '.join(repr(a) for a in args)}) is undefined or not finite "
                          f"(the same for every sample): {rule.domain or e}") from None
    if not -math.inf < out < math.inf:
        raise DomainError(f"{rule.name}({', '.join(repr(a) for a in args)}) is not finite (the same for every "
                          f"sample): the result is {out!r}")
    return out, ds


def _total(g) -> float:
    if g is None:
        return 0.0
    return float(g.sum()) if g.__class__ is np.ndarray else float(g)


def _name(v) -> str:
    if isinstance(v, Value):
        return repr(v.label) if v.label else f"an unnamed leaf (data {v.data!r})"
    return repr(v)


def _resolve_input(x, leaves: Sequence[Value], index) -> Value:
    if isinstance(x, str):
        found = [v for v in leaves if v.label == x]
        if len(found) != 1:
            labels = sorted({v.label for v in leaves if v.label})
            raise ValueError(f"the label {x!r} names {len(found)} leaves of the graph, not one; "
                             f"leaf labels are {labels}; pass the Value itself instead")
        return found[0]
    if not isinstance(x, Value):
        raise TypeError(f"an input is a leaf Value of the graph (or its label), got {type(x).__name__}")
    if not any(v is x for v in leaves):
        if x.parents:
            raise ValueError(f"input {_name(x)} is the output of {x.op}, not a leaf; inputs must be leaves")
    return x  # a leaf the root does not depend on: its column is read and ignored, its gradient is 0
