"""`Value`: a scalar that remembers how it was computed.

A Value is a node of a computation graph. Besides its number (``data``) and, after ``backward()``,
its gradient (``grad``), it keeps the name of the rule that made it (``op``), the Values it was made
from (``parents``) and the local partial derivatives ∂self/∂parent (``partials``), computed while
the forward value is. Constants are folded into the partials rather than stored as nodes; their
numbers stay in ``consts`` so that printouts can show them. Every operator below is one line that
hands a rule from the table in ops.py to `_apply1`, `_apply2` or `_apply_n`.

>>> x = Value(2.0, label="x"); y = Value(-3.0, label="y")
>>> z = x * y + x
>>> z.backward()
>>> (z.data, x.grad, y.grad)
(-4.0, -2.0, 2.0)
"""

from __future__ import annotations

import math
import numbers

from autograd import ops
from autograd.errors import DomainError

_INF = math.inf


def _describe(x: object) -> str:
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def as_float(x: object, what: str = "value") -> float:
    """Coerce a user's number to a finite Python float, or raise a TypeError/ValueError that says why.

    Accepts int, float, fractions and numpy scalars (also 0-d arrays). Rejects bool (almost always a
    slip: write 1.0 or 0.0), complex, str, None and containers, and non-finite numbers.
    """
    if type(x) is float:
        f = x
    elif isinstance(x, bool):
        raise TypeError(f"{what} must be a real number, got the bool {x!r}; write 1.0 or 0.0 if you mean a number")
    elif isinstance(x, numbers.Real):
        f = float(x)
    elif getattr(x, "shape", None) == () and hasattr(x, "dtype") and x.dtype.kind in "iuf":
        f = float(x)  # a 0-d numpy array
    else:
        raise TypeError(
            f"{what} must be a real number (int, float or numpy scalar), got {_describe(x)} of type "
            f"{type(x).__name__}; convert it with float(...) or pick one element of a sequence")
    if not -_INF < f < _INF:
        raise ValueError(f"{what} must be finite, got {f!r}; NaN and infinity cannot be differentiated through")
    return f


class Value:
    """A scalar node in a computation graph, with reverse-mode differentiation.

    Args:
        data: the number (anything `as_float` accepts); stored as a Python float.
        label: a name shown by printouts and drawings, typed as in LaTeX (``"W^1_{21}"``) or already
            in Unicode (``"W¹₂₁"``). It can be set later: ``v.label = "z"`` or ``v.named("z")``.

    Attributes:
        data (float): the forward value.
        grad (float): ∂root/∂self after ``root.backward()``.
        label (str): the name, '' when unnamed.
        op (str): the rule name in ``ops.RULES`` that made this node, '' for a leaf.
        parents (tuple[Value, ...]): the arguments, in order; ``a*a`` keeps ``a`` twice.
        partials (tuple[float, ...]): ∂self/∂parents[i], parallel to ``parents``.
        consts (tuple | None): for an operation with constant arguments, every argument in order
            with None where a parent stands, e.g. ``(3.0, None)`` for ``3 − x``; else None.
    """

    # No __weakref__ slot: 8 bytes per node that nothing here needs (graphs are freed by reference
    # counting as soon as the last reference goes).
    # ``_mark`` is private to the graph walks (graph.py): a node is expanded when its mark is the
    # current walk's token, which is faster than looking it up in a set of every node.
    __slots__ = ("data", "grad", "label", "op", "parents", "partials", "consts", "_mark")

    def __init__(self, data: object, label: str = "") -> None:
        self.data = as_float(data, "Value data")
        self.grad = 0.0
        if not isinstance(label, str):
            raise TypeError(f"label must be a str such as 'W^1_{{21}}', got {_describe(label)}")
        self.label = label
        self.op = ""
        self.parents = ()
        self.partials = ()
        self.consts = None
        self._mark = None

    def named(self, label: str) -> "Value":
        """Set the label and return self, so a name can be given inline: ``(w * x).named("z")``."""
        if not isinstance(label, str):
            raise TypeError(f"label must be a str such as 'W^1_{{21}}', got {_describe(label)}")
        self.label = label
        return self

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by the user rather than by an operation."""
        return not self.op

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{name})"

    # Arithmetic: each line applies one rule from ops.py. Reflected forms put the constant first.
    def __add__(self, other): return _apply2(ops.ADD, self, other)
    def __radd__(self, other): return _apply2(ops.ADD, other, self)
    def __sub__(self, other): return _apply2(ops.SUB, self, other)
    def __rsub__(self, other): return _apply2(ops.SUB, other, self)
    def __mul__(self, other): return _apply2(ops.MUL, self, other)
    def __rmul__(self, other): return _apply2(ops.MUL, other, self)
    def __truediv__(self, other): return _apply2(ops.DIV, self, other)
    def __rtruediv__(self, other): return _apply2(ops.DIV, other, self)
    def __pow__(self, other): return _apply2(ops.POW, self, other)
    def __rpow__(self, other): return _apply2(ops.POW, other, self)
    def __neg__(self): return _apply1(ops.NEG, self)
    def __pos__(self): return self
    def __abs__(self): return _apply1(ops.ABS, self)

    # Elementary functions.
    def exp(self): return _apply1(ops.EXP, self)
    def log(self): return _apply1(ops.LOG, self)
    def sqrt(self): return _apply1(ops.SQRT, self)
    def tanh(self): return _apply1(ops.TANH, self)
    def sigmoid(self): return _apply1(ops.SIGMOID, self)
    def relu(self): return _apply1(ops.RELU, self)
    def sin(self): return _apply1(ops.SIN, self)
    def cos(self): return _apply1(ops.COS, self)
    def abs(self): return _apply1(ops.ABS, self)
    def softplus(self): return _apply1(ops.SOFTPLUS, self)

    # Graph-wide operations live in graph.py; these are the conventional spellings.
    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every node this Value depends on with ∂self/∂node.

        Semantics (as in PyTorch): ``self.grad`` is seeded with ``grad``; the grads of the non-leaf
        nodes of this graph are recomputed from zero; the grads of leaves are *added to*, so calling
        ``backward`` twice gives exactly twice the leaf gradients. Call `zero_grad` (or an optimizer's
        ``zero_grad``) between steps. The traversal is iterative: any depth works.

        Raises:
            NonFiniteError: a gradient overflowed to infinity or became NaN; names the first node.
        """
        from autograd.graph import backward
        backward(self, grad)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on this node and every node it depends on."""
        from autograd.graph import zero_grad
        zero_grad(self)


def sum_values(values, label: str = "") -> Value:
    """Σ of several Values and numbers as ONE node (not a chain of binary additions)."""
    return _apply_n(ops.SUM, tuple(values)).named(label)


def linear(weights, inputs, bias=None, label: str = "") -> Value:
    """Σᵢ wᵢ·xᵢ (+ b) as ONE node, whose partials are ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1.

    This is how a neuron's pre-activation is built: a printout then shows ∂α/∂β = W directly.
    """
    weights, inputs = tuple(weights), tuple(inputs)
    if len(weights) != len(inputs):
        raise ValueError(f"linear needs as many weights as inputs, got {len(weights)} weights and {len(inputs)} inputs")
    args = weights + inputs + ((bias,) if bias is not None else ())
    return _apply_n(ops.LINEAR, args).named(label)


def logsumexp(values, label: str = "") -> Value:
    """log Σ exp(vᵢ), computed without overflow; its partials are the softmax of the arguments."""
    return _apply_n(ops.LOGSUMEXP, tuple(values)).named(label)


def softmax(values, labels=None) -> list:
    """softmaxᵢ(v₁ … vₖ) = exp(vᵢ − log Σⱼ exp vⱼ) for every i, computed stably, one node per output.

    Each output's partials are the textbook ones (∂ŷᵢ/∂vᵢ = ŷᵢ(1 − ŷᵢ), ∂ŷᵢ/∂vⱼ = −ŷᵢŷⱼ), so a printout
    of a softmax layer reads like a solution sheet; logits of ±1000 give finite values and partials.
    """
    values = tuple(values)
    if not values:
        raise ValueError("softmax needs at least one value")
    labels = list(labels) if labels is not None else [""] * len(values)
    return [_apply_n(ops.SOFTMAX, (float(i),) + values).named(label) for i, label in enumerate(labels)]


# ---------------------------------------------------------------------------------------------
# Applying a rule: compute the output and the partials, fold constants, report domain errors.

_new = object.__new__
_M = ops.SCALAR  # the math namespace of the scalar engine


def _node(data: float, op: str, parents: tuple, partials: tuple, consts) -> Value:
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.op = op
    v.parents = parents
    v.partials = partials
    v.consts = consts
    v._mark = None
    return v


def _constant(x: object, rule: ops.Rule, other: object) -> float:
    try:
        return as_float(x, f"the constant in {rule.name}")
    except TypeError:
        raise TypeError(
            f"cannot apply {rule.name} to {_describe(other)} and {_describe(x)} ({type(x).__name__}): "
            f"chainrule combines Values with real numbers; convert the operand with float(...) or "
            f"wrap it with Value(...)") from None


def _domain_error(rule: ops.Rule, args: tuple, cause: object, why: str = "") -> DomainError:
    shown = ", ".join(
        f"{a.label}={a.data!r}" if isinstance(a, Value) and a.label else repr(a.data if isinstance(a, Value) else a)
        for a in args)
    why = why or rule.domain or "the result is not a finite number"
    return DomainError(f"{rule.name}({shown}) is undefined or not finite: {why} ({cause})")


def _check_finite(rule: ops.Rule, args: tuple, out: float) -> None:
    if not -_INF < out < _INF:
        raise _domain_error(rule, args, f"the result is {out!r}", "the result overflows float64; rescale the inputs")


def _apply1(rule: ops.Rule, x: Value) -> Value:
    xd = x.data
    try:
        out = rule.forward(_M, xd)
        partials = rule.constant_partials or (rule.partials[0](_M, out, xd),)
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(rule, (x,), e) from None
    if out - out != 0.0:  # only for ±inf and NaN (inf − inf is NaN): one test instead of two
        _check_finite(rule, (x,), out)
    # _node inlined: this and the two-Value case below are the hot paths of building a graph.
    v = _new(Value)
    v.data, v.grad, v.label, v.op, v.parents, v.partials, v.consts, v._mark = (
        out, 0.0, "", rule.name, (x,), partials, None, None)
    return v


def _apply2(rule: ops.Rule, x, y) -> Value:
    if x.__class__ is Value and y.__class__ is Value:  # the common case, checked the cheapest way
        xd, yd = x.data, y.data
        try:
            out = rule.forward(_M, xd, yd)
            partials = rule.constant_partials  # add and sub: one shared tuple, no calls
            if partials is None:
                px, py = rule.partials
                partials = (px(_M, out, xd, yd), py(_M, out, xd, yd))
        except (ArithmeticError, ValueError) as e:
            raise _domain_error(rule, (x, y), e) from None
        if out - out != 0.0:
            _check_finite(rule, (x, y), out)
        v = _new(Value)
        v.data, v.grad, v.label, v.op, v.parents, v.partials, v.consts, v._mark = (
            out, 0.0, "", rule.name, (x, y), partials, None, None)
        return v
    return _apply2_general(rule, x, y)


def _apply2_general(rule: ops.Rule, x, y) -> Value:
    """A binary rule where one side may be a number (a constant) or a Value subclass."""
    m = _M
    if isinstance(x, Value):
        if isinstance(y, Value):
            xd, yd = x.data, y.data
            try:
                out = rule.forward(m, xd, yd)
                dx = rule.partials[0](m, out, xd, yd)
                dy = rule.partials[1](m, out, xd, yd)
            except (ArithmeticError, ValueError) as e:
                raise _domain_error(rule, (x, y), e) from None
            if not -_INF < out < _INF:
                _check_finite(rule, (x, y), out)
            return _node(out, rule.name, (x, y), (dx, dy), None)
        if y.__class__ is float:
            c = y  # a float is already what _constant would make of it, unless it is not finite
            if c - c != 0.0:
                c = _constant(y, rule, x)
        else:
            if hasattr(y, "__array_ufunc__") and getattr(y, "shape", ()) != ():
                return NotImplemented  # let numpy broadcast an array against this Value
            c = _constant(y, rule, x)
        xd = x.data
        try:
            out = rule.forward(m, xd, c)
            dx = rule.partials[0](m, out, xd, c)
        except (ArithmeticError, ValueError) as e:
            raise _domain_error(rule, (x, c), e) from None
        if not -_INF < out < _INF:
            _check_finite(rule, (x, c), out)
        return _node(out, rule.name, (x,), (dx,), (None, c))
    if x.__class__ is float:
        c = x
        if c - c != 0.0:
            c = _constant(x, rule, y)
    else:
        if hasattr(x, "__array_ufunc__") and getattr(x, "shape", ()) != ():
            return NotImplemented
        c = _constant(x, rule, y)
    yd = y.data
    try:
        out = rule.forward(m, c, yd)
        dy = rule.partials[1](m, out, c, yd)
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(rule, (c, y), e) from None
    if not -_INF < out < _INF:
        _check_finite(rule, (c, y), out)
    return _node(out, rule.name, (y,), (dy,), (c, None))


def _apply_n(rule: ops.Rule, args: tuple) -> Value:
    """Apply a rule of any arity; numbers among the arguments become constants."""
    if not args:
        raise ValueError(f"{rule.name} needs at least one argument")
    m = ops.SCALAR
    is_value = [isinstance(a, Value) for a in args]
    if False in is_value:  # constants among the arguments: fold them, keep their numbers in consts
        xs = tuple(a.data if v else as_float(a, f"an argument of {rule.name}") for a, v in zip(args, is_value))
        parents = tuple(a for a, v in zip(args, is_value) if v)
        consts = tuple(None if v else x for x, v in zip(xs, is_value))
    else:  # all Values (a hidden layer's neurons): nothing to sort out
        xs = tuple([a.data for a in args])
        parents, consts = args, None
    try:
        out = rule.forward(m, *xs)
        partials = rule.nary_partials(m, out, xs)  # one call for every argument's partial
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(rule, args, e) from None
    if not -_INF < out < _INF:
        _check_finite(rule, args, out)
    if consts is not None:
        partials = tuple([d for d, v in zip(partials, is_value) if v])
    return _node(out, rule.name, parents, partials, consts)
