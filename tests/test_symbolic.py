"""The symbolic derivative of an activation (autograd.symbolic): its formula from the rule table's
templates, its value from the rule table's functions, equal to the engine's gradient."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

from autograd import Value
from autograd.expression import ExpressionError, parse
from autograd.symbolic import Derivative, derivative, from_graph


def engine_gradient(source: str, z: float) -> float:
    leaf = Value(z, "z")
    out = parse(source)(leaf)
    out.backward()
    return leaf.grad


@pytest.mark.parametrize("spec, text, latex", [
    ("relu(z) + sin(z)", "[z > 0] + cos(z)", r"[z > 0] + \cos z"),
    ("sigmoid", "σ(z)(1 − σ(z))", r"\sigma(z)(1 - \sigma(z))"),
    ("sigmoid(z)", "σ(z)(1 − σ(z))", r"\sigma(z)(1 - \sigma(z))"),
    ("tanh", "1 − tanh(z)²", r"1 - {\tanh z}^2"),
    ("relu", "[z > 0]", "[z > 0]"),
    ("identity", "1", "1"),
    ("z**3", "3·z²", r"3 \cdot {z}^{2}"),
    ("sin(tanh(z))", "cos(tanh(z))·(1 − tanh(z)²)", r"\cos \tanh z \cdot (1 - {\tanh z}^2)"),
    ("relu(z) - 0.01*relu(-z)", "[z > 0] + 0.01·[−z > 0]", r"[z > 0] + 0.01 \cdot [-z > 0]"),
    ("cos(x) - x", "−sin(x) − 1", r"-\sin x - 1"),
])
def test_the_formula_comes_from_the_rule_tables_templates(spec, text, latex):
    d = derivative(spec)
    assert (d.text, d.latex) == (text, latex)


def test_seed001s_activation_is_one_function_with_one_derivative():
    f = derivative("relu(z) + sin(z)")
    assert f.equation().text == "f′(z) = [z > 0] + cos(z)"
    assert f.equation().latex == r"f'(z) = [z > 0] + \cos z"
    assert round(f.value(1.35), 3) == 1.219 and f(1.35) == f.value(1.35)
    assert f.value(-0.5) == pytest.approx(math.cos(-0.5))  # relu′ is 0 there: the cos term only
    assert f.function().text == "relu(z) + sin(z)"
    assert f.function_value(0.6) == pytest.approx(0.6 + math.sin(0.6))


def test_a_derivative_is_written_in_any_name():
    f = derivative("relu(z) + sin(z)")
    assert f.formula(at="z^{(1)}_1").text == "[z⁽¹⁾₁ > 0] + cos(z⁽¹⁾₁)"
    assert f.prime("z^{(1)}").latex == "f'(z^{(1)})"
    sigma = derivative("sigmoid")
    assert sigma.formula(at="alpha^1", output="beta^1").text == "β¹(1 − β¹)"
    assert sigma.prime("α¹").text == "σ′(α¹)"
    assert derivative("tanh").formula(output="a").text == "1 − a²"


def test_a_callable_is_recorded_once_and_read_back():
    d = derivative(lambda z: z.relu() + z.sin())
    assert d.text == "[z > 0] + cos(z)" and d.name == "f"
    assert d.value(1.35) == pytest.approx(engine_gradient("relu(z) + sin(z)", 1.35), abs=1e-15)


def test_from_graph_gives_the_factor_between_two_named_nodes():
    z = Value(1.35, "z^{(1)}_1")
    h = (z.relu() + z.sin()).named("h_1")
    d = from_graph(h, z)
    assert d.formula(at=z.label).text == "[z⁽¹⁾₁ > 0] + cos(z⁽¹⁾₁)"
    h.backward()
    assert d.value(z.data) == pytest.approx(z.grad, abs=1e-15)
    c = Value(3.0, "c")
    out = z * c + 2.0
    assert from_graph(out, z).text == "c"


def test_constants_and_nested_compositions():
    d = derivative("exp(-z**2)")
    assert d.text == "−2·exp(−z²)·z"
    assert d.value(0.3) == pytest.approx(-2 * 0.3 * math.exp(-0.09))
    assert derivative("z*0 + 3").text == "0" and derivative("z*0 + 3").value(1.0) == 0.0


def test_bad_input_gets_a_clear_error():
    with pytest.raises(ExpressionError, match="one variable"):
        derivative("x * y")
    with pytest.raises(ValueError, match="unknown function 'swish'"):
        derivative("swish")
    with pytest.raises(TypeError, match="not a Value"):
        derivative(lambda z: 3.0)
    with pytest.raises(TypeError):
        derivative(42)
    with pytest.raises(TypeError):
        from_graph(1.0, Value(1.0))


UNARY = ["relu", "sigmoid", "tanh", "sin", "cos", "softplus", "abs", "exp"]


def formulas(depth: int = 3):
    leaf = st.one_of(st.just("z"), st.floats(-2, 2, allow_nan=False).map(lambda c: f"{c:.3f}"))
    if depth == 0:
        return leaf
    sub = formulas(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(st.sampled_from(UNARY), sub).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(sub, st.sampled_from(["+", "-", "*"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        sub.map(lambda s: f"({s})**2"),
    )


@settings(max_examples=150, deadline=None, derandomize=True)
@given(formulas(), st.floats(-2.5, 2.5, allow_nan=False))
def test_random_formulas_agree_with_the_engine(source, z):
    source = f"{source} + 0*z"  # always a formula of z
    d = derivative(source)
    assert isinstance(d, Derivative)
    grad = engine_gradient(source, z)
    assert abs(d.value(z) - grad) <= 1e-9 * (1 + abs(grad))
    assert d.function_value(z) == pytest.approx(parse(source)(Value(z)).data, rel=1e-12, abs=1e-12)
    assert d.text and d.latex  # every formula renders
