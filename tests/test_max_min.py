"""max and min, and the printouts' notes at kinks: ties split the gradient ½/½ (as PyTorch's maximum
and JAX's do), relu′(0) = abs′(0) = 0, and every printout that passes such a point says which
subgradient it used; max/min in the expression language, whole-function derivatives, the batched
replay and drawings; softmax partials written in the outputs' names (−ŷ₁ŷ₂)."""

import random

import numpy as np
import pytest

from autograd import Replay, Value, draw, explain, maximum, minimum, softmax, trace
from autograd.expression import ExpressionError, parse
from autograd.symbolic import derivative
from tests.test_latex import compile_tex


def test_a_tie_splits_the_gradient_evenly_and_elsewhere_the_larger_takes_it():
    a, b = Value(0.5, "a"), Value(0.5, "b")
    maximum(a, b).backward()
    assert (a.grad, b.grad) == (0.5, 0.5)
    a, b = Value(0.7, "a"), Value(0.5, "b")
    maximum(a, b).backward()
    assert (a.grad, b.grad) == (1.0, 0.0)
    a, b = Value(0.7, "a"), Value(0.5, "b")
    minimum(a, b).backward()
    assert (a.grad, b.grad) == (0.0, 1.0)


@pytest.mark.parametrize("build, expected", [
    (lambda x: maximum(0, x), 0.5),      # the constant on the left, at the tie
    (lambda x: maximum(x, 0.0), 0.5),
    (lambda x: minimum(0, x), 0.5),
    (lambda x: x.max(-1.0), 1.0),
    (lambda x: x.min(-1.0), 0.0),
])
def test_a_constant_stays_a_constant_of_the_node(build, expected):
    x = Value(0.0, "x")
    out = build(x)
    assert out.parents == (x,)
    out.backward()
    assert x.grad == expected


def test_three_arguments_fold_into_binary_nodes_and_numbers_alone_give_a_number():
    a, b, c = Value(1.0, "a"), Value(3.0, "b"), Value(2.0, "c")
    out = maximum(a, b, c)
    assert out.data == 3.0 and out.op == "max" and out.parents[0].op == "max"
    out.backward()
    assert (a.grad, b.grad, c.grad) == (0.0, 1.0, 0.0)
    assert maximum(1, 2.5) == 2.5 and minimum(4, 1, 3) == 1.0
    with pytest.raises(TypeError, match="two or more"):
        maximum(Value(1.0))


def test_max_and_min_in_formulas():
    f = parse("max(0, z) + min(z, 1, 2)")
    z = Value(0.3, "z")
    out = f.evaluate(z=z)
    out.backward()
    assert out.data == pytest.approx(0.6) and z.grad == 2.0
    assert parse("max(1, 2) * z").evaluate(z=Value(1.0, "z")).data == 2.0  # folded to a constant


@pytest.mark.parametrize("source, message", [
    ("max(z)", "max takes two or more arguments"),
    ("relu(z, 1)", "relu takes exactly one argument"),
    ("min(a=z, b=1)", "min takes two or more arguments, by position"),
    ("maxx(z, 1)", "unknown function 'maxx'"),
])
def test_a_wrong_call_is_refused_with_what_to_write(source, message):
    with pytest.raises(ExpressionError, match=message):
        parse(source)


def test_a_leaky_relu_written_with_max_has_one_derivative_that_agrees_with_the_engine():
    f = derivative("max(z, 0.1*z)")
    assert f.value(2.0) == pytest.approx(1.0) and f.value(-2.0) == pytest.approx(0.1)
    for z0 in (-1.5, -0.2, 0.4, 2.0):
        z = Value(z0, "z")
        parse("max(z, 0.1*z)").evaluate(z=z).backward()
        assert f.value(z0) == pytest.approx(z.grad)


def _notes(explanation) -> list:
    return [line for line in str(explanation).splitlines() if line.startswith("note:")]


def test_explain_and_trace_say_which_subgradient_they_used_where_there_is_a_kink():
    a, b, z = Value(0.5, "a"), Value(0.5, "b"), Value(0.0, "z")
    m = maximum(a, b).named("m")
    h = z.relu().named("h")
    loss = (m * m + h + abs(z * 2)).named("l")
    loss.backward()
    notes = _notes(explain(loss, a))
    assert notes == ["note: at m = max(a, b), a = b, where max has no derivative: each argument gets ½ of the "
                     "gradient, as in PyTorch and JAX"]
    assert "∂m/∂a = [a > b] + ½[a = b] = 0.5" in str(explain(loss, a))
    notes = _notes(explain(loss, z))
    assert [n.split(",")[0] for n in notes] == ["note: at h = relu(z)", "note: at |z·2|"]
    assert "relu′(0) = 0 is used" in notes[0] and "abs′(0) = 0 is used" in notes[1]
    assert len(_notes(trace(loss))) == 3
    assert len(_notes(trace(loss, wrt=a))) == 1  # only what lies between a and the loss


def test_no_note_away_from_a_kink():
    a, b, z = Value(0.7, "a"), Value(0.5, "b"), Value(0.3, "z")
    loss = (maximum(a, b).named("m") * z.relu().named("h")).named("l")
    loss.backward()
    assert _notes(explain(loss, a)) == [] and _notes(trace(loss)) == []


def test_the_note_compiles_in_latex(tmp_path):
    a, b = Value(0.5, "a"), Value(0.5, "b")
    loss = (maximum(a, b).named("m") * 3).named(r"\ell")
    loss.backward()
    tex = explain(loss, a).to_latex(standalone=True)
    assert r"\tfrac{1}{2}" in tex
    compile_tex(tex, tmp_path)


def test_replay_runs_max_and_min_with_the_same_convention_at_ties():
    w, x = Value(0.5, "w"), Value(0.0, "x")
    out = (maximum(w * x, 0.0) + minimum(x, w)).named("out")
    rep = Replay(out, inputs=[x])
    batch = [[0.0], [1.0], [-1.0], [0.5]]  # w·x = 0 ties with 0; x = w ties at 0.5
    values = rep.forward(batch)
    grads = rep.backward(per_sample=True)
    for row, (x0,) in enumerate(batch):
        w1, x1 = Value(0.5, "w"), Value(x0, "x")
        scalar = maximum(w1 * x1, 0.0) + minimum(x1, w1)
        scalar.backward()
        assert values[row] == pytest.approx(scalar.data)
        assert grads[row][0] == pytest.approx(w1.grad)


def test_replay_agrees_with_the_scalar_engine_on_random_ties():
    rng = random.Random(3)
    p, x = Value(0.0, "p"), Value(0.0, "x")
    out = (maximum(p, x) * minimum(p, 1.0) + maximum(x, 0.0)).named("out")
    rep = Replay(out, inputs=[x])
    batch = np.array([[rng.choice([0.0, 1.0, -1.0])] for _ in range(32)])
    for p0 in (0.0, 1.0):  # p ties with x on some samples, and with the constant 1.0 in min when 1
        p.data = p0
        values = rep.forward(batch)
        grads = rep.backward(per_sample=True)
        for row, (x0,) in enumerate(batch):
            sp, sx = Value(p0), Value(x0)
            s = maximum(sp, sx) * minimum(sp, 1.0) + maximum(sx, 0.0)
            s.backward()
            assert values[row] == pytest.approx(s.data)
            assert grads[row][0] == pytest.approx(sp.grad)


def test_a_drawing_names_the_operation_and_shows_the_tie_partials():
    a, b = Value(0.5, "a"), Value(0.5, "b")
    loss = (maximum(a, b).named("m") * 3).named("l")
    loss.backward()
    source = draw(loss).source
    assert ">max<" in source
    assert source.count(">0.5</FONT>") >= 2  # both edges into max carry ½


def test_softmax_partials_name_the_other_output():
    z1, z2 = Value(0.3, "z_1"), Value(-0.2, "z_2")
    y1, y2 = softmax([z1, z2], [r"\hat{y}_1", r"\hat{y}_2"])
    loss = (-(y1.log()) + 0 * y2).named("L")
    loss.backward()
    text = str(explain(loss, z2))
    assert "∂ŷ₁/∂z₂ = −ŷ₁ŷ₂" in text and "∂ŷ₂/∂z₂ = ŷ₂(1 − ŷ₂)" in text
    assert r"-\hat{y}_{1} \hat{y}_{2}" in explain(loss, z2).to_latex()


def test_softmax_partials_fall_back_to_the_formula_when_the_other_output_is_not_in_the_graph():
    z1, z2 = Value(0.3, "z_1"), Value(-0.2, "z_2")
    y1, _ = softmax([z1, z2], [r"\hat{y}_1", r"\hat{y}_2"])
    loss = (-(y1.log())).named("L")
    loss.backward()
    assert "∂ŷ₁/∂z₂ = −ŷ₁·softmax₂(z₁, z₂)" in str(explain(loss, z2))


def test_an_unnamed_other_output_is_written_as_its_formula_after_a_product_sign():
    # both outputs in the graph but neither named: two formulas side by side would read as one
    # call applied to another, so the partial keeps the · as when the other output is not there
    z1, z2 = Value(0.3, "z_1"), Value(-0.2, "z_2")
    y1, y2 = softmax([z1, z2])
    loss = (y1 * y2).named("L")
    loss.backward()
    for text in (str(trace(loss)), str(explain(loss, z1, forward=False, collapse=False)),
                 draw(loss, show_formulas=True).source):
        assert "−softmax₂(z₁, z₂)·softmax₁(z₁, z₂)" in text, text
        assert "−softmax₂(z₁, z₂)softmax₁(z₁, z₂)" not in text
