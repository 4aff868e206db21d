"""The operators that build their node inline (value.py) against the rule table, case by case.

For every inlined case the node made by the operator must equal, field by field, the node made by
the generic path from the rule in ops.py (`_apply1`, `apply_binary`, `apply_nary`): the forward value, the
partials, the parents, the constants, the rule name and so every formula text a printout shows.
Inputs are seeded; the cases where an operator must leave its fast path (a domain error, overflow,
NaN constants, huge integers, numpy arrays, subclasses) are checked to behave as the generic path.
"""

import math
import random

import numpy as np
import pytest

from autograd import DomainError, Value, linear, ops
from autograd.value import _apply1, apply_binary, apply_nary

# name -> (the operator, the rule, how the generic path applies it)
BINARY = {
    "add": (lambda x, y: x + y, ops.ADD),
    "sub": (lambda x, y: x - y, ops.SUB),
    "mul": (lambda x, y: x * y, ops.MUL),
    "div": (lambda x, y: x / y, ops.DIV),
}


def names_of(node):
    """The argument names a printout uses: a parent's label, or the constant's number."""
    parents = iter(node.parents)
    consts = node.consts if node.consts is not None else (None,) * len(node.parents)
    return [next(parents).label if c is None else repr(c) for c in consts]


def formulas(node):
    """Every formula text of a node, from the rule table: its expression and each partial's, in
    Unicode and LaTeX."""
    rule = ops.RULES[node.op]
    names = names_of(node)
    texts = [rule.expression(names), rule.expression(names, latex=True)]
    slots = [k for k, c in enumerate(node.consts or (None,) * len(names)) if c is None]
    for k in slots:
        texts += [rule.partial_expression(k, names, "out"), rule.partial_expression(k, names, "out", latex=True)]
    return texts


def same_node(fast, generic):
    assert type(fast) is Value and type(generic) is Value
    assert fast.op == generic.op
    assert fast.data == generic.data and type(fast.data) is float
    assert fast.partials == generic.partials and all(type(d) is float for d in fast.partials)
    assert fast.parents == generic.parents and all(a is b for a, b in zip(fast.parents, generic.parents))
    assert fast.consts == generic.consts
    assert (fast.grad, fast.label) == (generic.grad, generic.label) == (0.0, "")
    assert isinstance(fast.parents, tuple) and isinstance(fast.partials, tuple)
    assert formulas(fast) == formulas(generic)


def leaves(rng, n, low=-3.0, high=3.0):
    return [Value(rng.uniform(low, high), label=f"v{k}") for k in range(n)]


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_operators_equal_the_rule_table(name):
    op, rule = BINARY[name]
    rng = random.Random(name)
    for _ in range(200):
        x, y = leaves(rng, 2)
        c = rng.choice([rng.uniform(-5, 5), rng.randint(-5, 5) or 7])
        same_node(op(x, y), apply_binary(rule, x, y))
        same_node(op(x, c), apply_binary(rule, x, float(c)))
        same_node(op(c, y), apply_binary(rule, float(c), y))
        same_node(op(x, x), apply_binary(rule, x, x))  # a*a keeps both parents


def test_power_with_a_constant_exponent_equals_the_rule_table():
    rng = random.Random("pow")
    for _ in range(200):
        (x,) = leaves(rng, 1, 0.1, 3.0)
        for c in (2, 3, -1, 0.5, rng.uniform(-2, 3), 1, 0):
            same_node(x ** c, apply_binary(ops.POW, x, float(c)))
    (neg,) = leaves(rng, 1, -3.0, -0.1)
    for c in (2, 3, -2):
        same_node(neg ** c, apply_binary(ops.POW, neg, float(c)))


def test_unary_operators_equal_the_rule_table():
    rng = random.Random("unary")
    for _ in range(200):
        (x,) = leaves(rng, 1)
        same_node(-x, _apply1(ops.NEG, x))
        same_node(x.relu(), _apply1(ops.RELU, x))
    for at in (0.0, -0.0, 2.5, -2.5):  # relu's kink: relu(0) = 0 and relu'(0) = 0
        x = Value(at)
        same_node(x.relu(), _apply1(ops.RELU, x))


def test_linear_equals_the_rule_table():
    rng = random.Random("linear")
    for n in (1, 2, 5, 16):
        for _ in range(20):
            ws, xs, (b,) = leaves(rng, n), leaves(rng, n), leaves(rng, 1)
            same_node(linear(ws, xs, b), apply_nary(ops.LINEAR, tuple(ws) + tuple(xs) + (b,)))
            same_node(linear(ws, xs), apply_nary(ops.LINEAR, tuple(ws) + tuple(xs)))
            named = linear(ws, xs, b, label="z")
            assert named.label == "z" and named.data == linear(ws, xs, b).data


def test_a_printed_formula_reads_the_same_either_way():
    x, y = Value(2.0, "x"), Value(-3.0, "y")
    assert formulas(x - y)[0] == "x − y"
    assert formulas(3 - y)[0] == "3.0 − y"
    assert formulas(x * 2)[:1] == ["x·2.0"] and formulas(x * 2)[2] == "2.0"
    assert formulas(x ** 2)[0] == "x²" and formulas(x ** 2)[2] == "2·x"
    assert formulas(x / y)[2:5:2] == ["1/y", "−x/y²"]


@pytest.mark.parametrize("make, generic", [
    (lambda: Value(1e200) * Value(1e200), lambda: apply_binary(ops.MUL, Value(1e200), Value(1e200))),
    (lambda: Value(1e308) + 1e308, lambda: apply_binary(ops.ADD, Value(1e308), 1e308)),
    (lambda: Value(1.0) / Value(0.0), lambda: apply_binary(ops.DIV, Value(1.0), Value(0.0))),
    (lambda: Value(1.0) / 0, lambda: apply_binary(ops.DIV, Value(1.0), 0.0)),
    (lambda: Value(0.0) ** -1, lambda: apply_binary(ops.POW, Value(0.0), -1.0)),
    (lambda: Value(-8.0) ** 0.5, lambda: apply_binary(ops.POW, Value(-8.0), 0.5)),
    (lambda: Value(1e300) ** 2, lambda: apply_binary(ops.POW, Value(1e300), 2.0)),
])
def test_domain_errors_leave_the_fast_path_with_the_rules_message(make, generic):
    with pytest.raises(DomainError) as fast_error:
        make()
    with pytest.raises(DomainError) as generic_error:
        generic()
    assert str(fast_error.value) == str(generic_error.value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_constants_are_refused_by_every_operator(bad):
    x = Value(1.5)
    for make in (lambda: x + bad, lambda: bad + x, lambda: x - bad, lambda: bad - x, lambda: x * bad,
                 lambda: bad * x, lambda: x / bad, lambda: x ** bad):
        with pytest.raises(ValueError, match="finite"):
            make()


def test_huge_integers_are_refused_clearly_by_every_operator():
    x, huge = Value(1.5), 10 ** 400
    for make in (lambda: x + huge, lambda: huge + x, lambda: x - huge, lambda: huge - x, lambda: x * huge,
                 lambda: huge * x, lambda: x / huge, lambda: x ** huge, lambda: Value(huge)):
        with pytest.raises(ValueError, match="too large for a float"):
            make()


def test_other_operands_take_the_generic_path():
    x = Value(2.0)
    assert [v.data for v in np.array([1.0, 2.0]) * x] == [2.0, 4.0]
    assert type((x * np.float64(3.0)).data) is float and (x * np.float64(3.0)).consts == (None, 3.0)

    class Named(Value):
        __slots__ = ()

    y = Named(4.0)
    same_node(x * y, apply_binary(ops.MUL, x, y))
    same_node(y * x, apply_binary(ops.MUL, y, x))
    same_node(linear([x], [y], 1.0), apply_nary(ops.LINEAR, (x, y, 1.0)))
    with pytest.raises(TypeError, match="bool"):
        x * True
