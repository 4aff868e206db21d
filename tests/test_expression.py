"""Formulas typed as text: parsed with a whitelist, evaluated on Values, clear errors otherwise."""

import math

import pytest

from autograd import Value
from autograd.expression import ExpressionError, activation, parse


def test_activation_from_seed_001_matches_the_closed_form():
    f = activation("relu(z) + sin(z)")
    z = Value(1.35)
    out = f(z)
    out.backward()
    assert out.data == pytest.approx(1.35 + math.sin(1.35), rel=1e-15)
    assert z.grad == pytest.approx(1 + math.cos(1.35), rel=1e-15)


def test_assignments_name_nodes_and_the_last_statement_is_the_result():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    f = parse("q = x + y\nf = q * z").evaluate(x=x, y=y, z=z)
    f.backward()
    assert (f.label, f.data, f.parents[0].label) == ("f", -12.0, "q")
    assert (x.grad, y.grad, z.grad) == (-4.0, -4.0, 3.0)


def test_constants_fold_and_pi_e_are_known():
    out = parse("2 * pi * r + e ** 0").evaluate(r=Value(1.0))
    assert out.data == pytest.approx(2 * math.pi + 1)


def test_renaming_a_node_does_not_steal_its_name():
    a = Value(2.0, "a")
    b = parse("b = a").evaluate(a=a)
    assert a.label == "a" and b.label == "b" and b.data == 2.0


@pytest.mark.parametrize("source, fragment", [
    ('__import__("os").system("true")', "unknown function"),
    ("open('f')", "unknown function 'open'"),
    ("x.real", "Attribute is not allowed"),
    ("z[0]", "Subscript is not allowed"),
    ("relu(z, 1)", "exactly one argument"),
    ("relu", "write relu(...)"),
    ("x +", "cannot read"),
    ("", "non-empty"),
    ("True * z", "not a number"),
    ("z % 2", "only + - * / **"),
    ("relu = z", "built-in name"),
])
def test_anything_outside_the_whitelist_is_refused_with_a_pointer(source, fragment):
    with pytest.raises(ExpressionError) as info:
        parse(source)
    assert fragment in str(info.value)


def test_missing_and_unknown_values_are_named():
    expr = parse("x * y")
    with pytest.raises(ExpressionError, match="no value for y"):
        expr.evaluate(x=1.0)
    with pytest.raises(ExpressionError, match="w is not used"):
        expr.evaluate(x=1.0, y=2.0, w=3.0)
    with pytest.raises(ExpressionError, match="one variable"):
        activation("x * y")
