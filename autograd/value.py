"""`Value`, a scalar that remembers how it was computed, and the generic way to apply a rule to Values.

A Value is a node of a computation graph. Besides its number (``data``) and, after ``backward()``,
its gradient (``grad``), it keeps the name of the rule that made it (``op``), the Values it was made
from (``parents``) and the local partial derivatives ∂self/∂parent (``partials``), computed while
the forward value is. Constants are folded into the partials rather than stored as nodes; their
numbers stay in ``consts`` so that printouts can show them.

>>> x = Value(2.0, label="x"); y = Value(-3.0, label="y")
>>> z = x * y + x
>>> z.backward()
>>> (z.data, x.grad, y.grad)
(-4.0, -2.0, 2.0)

A node is one slotted object whose parents and partials sit in four flat slots (the layout is in
slots.py). Readers never see this: ``parents``, ``partials`` and ``consts`` are properties that give
ordered tuples. The rule table (ops.py) defines every operation; `_apply1`, `apply_binary` and
`apply_nary` apply any rule. The operations used most (+, −, ·, /, ** with a constant, neg, relu,
and `linear` over Values) compute their rule's formulas inline instead, skipping three Python
calls each; anything out of the ordinary (a domain error, a numpy array, a Value subclass) goes
through the generic path, and tests/test_engine_fastpaths.py checks every inlined case against
the rule table.

The chain rule is in chain_rule.py; operations on many Values at once (Σ, linear, softmax) in nary.py.

This module is longer than 300 lines because of those inlined operators: each repeats, for one
rule, the few lines of node building that the generic path does in three calls. Spreading the class
over several modules would not make any of it shorter to read.
"""

from __future__ import annotations

import math

from autograd import ops
from autograd.chain_rule import backward, zero_grad
from autograd.coerce import INT_LIMIT, as_float, describe
from autograd.errors import DomainError
from autograd.slots import LEFT, NARY

_INF = math.inf

_new = object.__new__
_M = ops.SCALAR  # the math namespace of the scalar engine
_pow = math.pow
_plain_sum = ops.plain_sum
_ADD, _SUB, _MUL, _DIV, _POW = ops.ADD, ops.SUB, ops.MUL, ops.DIV, ops.POW


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

    For code written for micrograd: ``_prev`` (the parents), ``_op`` (the operation's symbol, '' for
    a leaf) and ``item()`` (the number) read the same node.
    """

    # Eight slots, no __dict__ and no __weakref__: 96 bytes a node, plus 24 for its float. Every slot
    # counts twice: in memory, and in the time the cycle collector takes to look at the node.
    __slots__ = ("data", "grad", "label", "op", "_a", "_b", "_da", "_db")

    def __init__(self, data: object, label: str = "") -> None:
        self.data = as_float(data, "Value data")
        self.grad = 0.0
        if label.__class__ is not str and not isinstance(label, str):
            raise TypeError(f"label must be a str such as 'W^1_{{21}}', got {describe(label)}")
        self.label = label
        self.op = ""
        self._a = self._b = self._da = self._db = None

    def named(self, label: str) -> "Value":
        """Set the label and return self, so a name can be given inline: ``(w * x).named("z")``."""
        if not isinstance(label, str):
            raise TypeError(f"label must be a str such as 'W^1_{{21}}', got {describe(label)}")
        self.label = label
        return self

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by the user rather than by an operation."""
        return not self.op

    @property
    def parents(self) -> tuple:
        """The arguments that are Values, in order (``a*a`` gives ``(a, a)``); ``()`` for a leaf."""
        b = self._b
        if b is None or b is LEFT:
            a = self._a
            return () if a is None else (a,)
        if b is NARY:
            return self._a
        return (self._a, b)

    @property
    def partials(self) -> tuple:
        """∂self/∂parents[i] for each parent, in the order of ``parents``."""
        b = self._b
        if b is None or b is LEFT:
            return () if self._a is None else (self._da,)
        if b is NARY:
            return self._da
        return (self._da, self._db)

    @property
    def consts(self) -> tuple | None:
        """Every argument in order, None where a parent stands, when some are constants; else None."""
        b = self._b
        if b is None:
            c = self._db
            return None if c is None else (None, c)
        if b is LEFT:
            return (self._db, None)
        if b is NARY:
            return self._db
        return None

    @property
    def _prev(self) -> tuple:
        """micrograd's name for the parents (there a set; here the ordered tuple ``parents``)."""
        return self.parents

    @property
    def _op(self) -> str:
        """micrograd's name for the operation: its symbol ('+', '×', 'relu', ...), '' for a leaf."""
        return ops.RULES[self.op].symbol if self.op else ""

    def item(self) -> float:
        """The number, as ``tensor.item()`` gives it (the same as ``data``)."""
        return self.data

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{name})"

    # Arithmetic. The common cases build the node inline (see the module docstring): a Value with a
    # Value, or with a float or int constant, whose result is finite. Everything else, errors
    # included, goes through the rule table by `apply_binary`. Reflected forms put the constant first.
    # ``out - out == 0.0`` holds exactly when out is finite (inf − inf and NaN − NaN are NaN); a
    # NaN or infinite constant makes the result of +, − and · non-finite too, so it is caught there.

    def __add__(self, other):
        cls = other.__class__
        if cls is Value:
            out = self.data + other.data
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "add"  # noqa: E702
                v._a = self; v._b = other; v._da = 1.0; v._db = 1.0  # noqa: E702
                return v
        elif cls is float or cls is int and -INT_LIMIT <= other <= INT_LIMIT:
            c = other if cls is float else float(other)
            out = self.data + c
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "add"  # noqa: E702
                v._a = self; v._b = None; v._da = 1.0; v._db = c  # noqa: E702
                return v
        return apply_binary(_ADD, self, other)

    def __radd__(self, other):
        cls = other.__class__
        if cls is float or cls is int and -INT_LIMIT <= other <= INT_LIMIT:
            c = other if cls is float else float(other)
            out = c + self.data
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "add"  # noqa: E702
                v._a = self; v._b = LEFT; v._da = 1.0; v._db = c  # noqa: E702
                return v
        return apply_binary(_ADD, other, self)

    def __sub__(self, other):
        cls = other.__class__
        if cls is Value:
            out = self.data - other.data
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "sub"  # noqa: E702
                v._a = self; v._b = other; v._da = 1.0; v._db = -1.0  # noqa: E702
                return v
        elif cls is float or cls is int and -INT_LIMIT <= other <= INT_LIMIT:
            c = other if cls is float else float(other)
            out = self.data - c
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "sub"  # noqa: E702
                v._a = self; v._b = None; v._da = 1.0; v._db = c  # noqa: E702
                return v
        return apply_binary(_SUB, self, other)

    def __rsub__(self, other):
        cls = other.__class__
        if cls is float or cls is int and -INT_LIMIT <= other <= INT_LIMIT:
            c = other if cls is float else float(other)
            out = c - self.data
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "sub"  # noqa: E702
                v._a = self; v._b = LEFT; v._da = -1.0; v._db = c  # noqa: E702
                return v
        return apply_binary(_SUB, other, self)

    def __mul__(self, other):
        cls = other.__class__
        if cls is Value:
            x = self.data
            y = other.data
            out = x * y
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "mul"  # noqa: E702
                v._a = self; v._b = other; v._da = y; v._db = x  # noqa: E702
                return v
        elif cls is float or cls is int and -INT_LIMIT <= other <= INT_LIMIT:
            c = other if cls is float else float(other)
            out = self.data * c
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "mul"  # noqa: E702
                v._a = self; v._b = None; v._da = c; v._db = c  # noqa: E702
                return v
        return apply_binary(_MUL, self, other)

    def __rmul__(self, other):
        cls = other.__class__
        if cls is float or cls is int and -INT_LIMIT <= other <= INT_LIMIT:
            c = other if cls is float else float(other)
            out = c * self.data
            if out - out == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "mul"  # noqa: E702
                v._a = self; v._b = LEFT; v._da = c; v._db = c  # noqa: E702
                return v
        return apply_binary(_MUL, other, self)

    def __truediv__(self, other):
        cls = other.__class__
        if cls is Value:
            y = other.data
            if y:
                out = self.data / y
                dx, dy = 1.0 / y, -out / y
                if out - out == 0.0 and dx - dx == 0.0 and dy - dy == 0.0:
                    v = _new(Value)
                    v.data = out; v.grad = 0.0; v.label = ""; v.op = "div"  # noqa: E702
                    v._a = self; v._b = other; v._da = dx; v._db = dy  # noqa: E702
                    return v
        elif cls is float or cls is int and -INT_LIMIT <= other <= INT_LIMIT:
            c = other if cls is float else float(other)
            if c and c - c == 0.0:
                out = self.data / c
                dx = 1.0 / c
                if out - out == 0.0 and dx - dx == 0.0:
                    v = _new(Value)
                    v.data = out; v.grad = 0.0; v.label = ""; v.op = "div"  # noqa: E702
                    v._a = self; v._b = None; v._da = dx; v._db = c  # noqa: E702
                    return v
        return apply_binary(_DIV, self, other)

    def __rtruediv__(self, other): return apply_binary(_DIV, other, self)

    def __pow__(self, other):
        cls = other.__class__
        if cls is float or cls is int and -INT_LIMIT <= other <= INT_LIMIT:
            c = other if cls is float else float(other)
            x = self.data
            try:
                out = _pow(x, c)
                dx = c * _pow(x, c - 1.0)
            except (ArithmeticError, ValueError):
                return apply_binary(_POW, self, other)  # raises the rule's DomainError
            if out - out == 0.0 and dx - dx == 0.0 and c - c == 0.0:
                v = _new(Value)
                v.data = out; v.grad = 0.0; v.label = ""; v.op = "pow"  # noqa: E702
                v._a = self; v._b = None; v._da = dx; v._db = c  # noqa: E702
                return v
        return apply_binary(_POW, self, other)

    def __rpow__(self, other): return apply_binary(_POW, other, self)

    def __neg__(self):
        v = _new(Value)
        v.data = -self.data; v.grad = 0.0; v.label = ""; v.op = "neg"  # noqa: E702
        v._a = self; v._b = None; v._da = -1.0; v._db = None  # noqa: E702
        return v

    def __pos__(self): return self
    def __abs__(self): return _apply1(ops.ABS, self)

    # Elementary functions.
    def relu(self):
        x = self.data
        v = _new(Value)
        if x > 0.0:
            v.data = x; v._da = 1.0  # noqa: E702
        else:
            v.data = 0.0; v._da = 0.0  # noqa: E702
        v.grad = 0.0; v.label = ""; v.op = "relu"; v._a = self; v._b = None; v._db = None  # noqa: E702
        return v

    def tanh(self): return _apply1(ops.TANH, self)
    def exp(self): return _apply1(ops.EXP, self)
    def log(self): return _apply1(ops.LOG, self)
    def sqrt(self): return _apply1(ops.SQRT, self)
    def sigmoid(self): return _apply1(ops.SIGMOID, self)
    def sin(self): return _apply1(ops.SIN, self)
    def cos(self): return _apply1(ops.COS, self)
    def abs(self): return _apply1(ops.ABS, self)
    def softplus(self): return _apply1(ops.SOFTPLUS, self)

    def max(self, other):
        """The larger of this and ``other`` (a Value or a number). At a tie each gets ½ of the
        gradient, as with PyTorch's ``maximum``."""
        return apply_binary(ops.MAX, self, other)

    def min(self, other):
        """The smaller of this and ``other`` (a Value or a number). At a tie each gets ½ of the
        gradient, as with PyTorch's ``minimum``."""
        return apply_binary(ops.MIN, self, other)

    # Graph-wide operations: the conventional spellings of the functions below.
    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every node this Value depends on with ∂self/∂node.

        Semantics (as in PyTorch): ``self.grad`` is seeded with ``grad``; the grads of the non-leaf
        nodes of this graph are recomputed from zero; the grads of leaves are *added to*, so calling
        ``backward`` twice gives exactly twice the leaf gradients. Call `zero_grad` (or an optimizer's
        ``zero_grad``) between steps. The traversal is iterative: any depth works. Calls from several
        threads at once are safe: they take turns (see `backward`).

        Raises:
            ValueError: ``grad`` is NaN or infinite (or not a number: TypeError).
            NonFiniteError: a gradient overflowed to infinity or became NaN; names the first node.
        """
        backward(self, grad)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on this node and every node it depends on."""
        zero_grad(self)


# ---------------------------------------------------------------------------------------------
# Applying a rule from the table: compute the output and the partials, fold constants, report
# domain errors. Every operation can be built this way; the operators above are shortcuts.


def _node(data: float, op: str, a, b, da, db) -> Value:
    v = _new(Value)
    v.data = data; v.grad = 0.0; v.label = ""; v.op = op  # noqa: E702
    v._a = a; v._b = b; v._da = da; v._db = db  # noqa: E702
    return v


def _constant(x: object, rule: ops.Rule, other: object) -> float:
    try:
        return as_float(x, f"the constant in {rule.name}")
    except TypeError:
        raise TypeError(
            f"cannot apply {rule.name} to {describe(other)} and {describe(x)} ({type(x).__name__}): "
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
        d = rule.constant_partials[0] if rule.constant_partials else rule.partials[0](_M, out, xd)
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(rule, (x,), e) from None
    if out - out != 0.0:  # only for ±inf and NaN (inf − inf is NaN): one test instead of two
        _check_finite(rule, (x,), out)
    v = _new(Value)  # _node inlined: tanh, exp, sigmoid ... are common enough
    v.data = out; v.grad = 0.0; v.label = ""; v.op = rule.name  # noqa: E702
    v._a = x; v._b = None; v._da = d; v._db = None  # noqa: E702
    return v


def apply_binary(rule: ops.Rule, x, y) -> Value:
    """A binary rule on two Values, or on a Value and a number (a constant) on either side."""
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
            return _node(out, rule.name, x, y, dx, dy)
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
        return _node(out, rule.name, x, None, dx, c)
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
    return _node(out, rule.name, y, LEFT, dy, c)


def apply_nary(rule: ops.Rule, args: tuple) -> Value:
    """Apply a rule of any arity; numbers among the arguments become constants."""
    if not args:
        raise ValueError(f"{rule.name} needs at least one argument")
    m = ops.SCALAR
    xs = [a.data for a in args if a.__class__ is Value]
    if len(xs) == len(args):  # all Values (a hidden layer's neurons): nothing to sort out
        parents, consts, is_value = args, None, None
    else:  # constants (or Value subclasses) among the arguments: fold the constants into consts
        is_value = [isinstance(a, Value) for a in args]
        xs = tuple(a.data if v else as_float(a, f"an argument of {rule.name}") for a, v in zip(args, is_value))
        parents = tuple(a for a, v in zip(args, is_value) if v)
        consts = tuple(None if v else x for x, v in zip(xs, is_value))
        if consts.count(None) == len(consts):
            consts = None
    try:
        out = rule.forward(m, *xs)
        partials = rule.nary_partials(m, out, xs)  # one call for every argument's partial
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(rule, args, e) from None
    if not -_INF < out < _INF:
        _check_finite(rule, args, out)
    if consts is not None:
        partials = tuple([d for d, v in zip(partials, is_value) if v])
    v = _new(Value)  # _node inlined: a network makes one of these per unit
    v.data = out; v.grad = 0.0; v.label = ""; v.op = rule.name  # noqa: E702
    v._a = parents; v._b = NARY; v._da = partials; v._db = consts  # noqa: E702
    return v
