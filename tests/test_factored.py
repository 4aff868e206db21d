"""The default explanation: the forward pass first, then the derivative factored at branch points as
a hand solution writes it — checked against the sheets, the path form and the engine."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, explain, forward_table, linear, sum_values, trace
from autograd.derive.factored import Shortcut
from autograd.derive.formula import Formula
from autograd.derive.model import GRADIENT, LOCAL, UPSTREAM, VALUE
from homework import ProblemError, load
from homework.cli import main
from tests.test_explain import explained_nodes, random_graph


def run(capsys, *argv):
    status = main(list(argv))
    out = capsys.readouterr()
    assert status == 0, out.err
    return out.out


def test_cs231n_example_shows_the_forward_values_before_the_gradients(capsys):
    out = run(capsys, "explain", "(x + y) * z", "x=-2", "y=5", "z=-4")
    forward = out.index("x + y = 3")
    assert out.index("f     = (x + y)·z = -12") > forward
    grads = [out.index(f"check: the engine's {v}.grad = {g} ✓") for v, g in (("x", -4), ("y", -4), ("z", 3))]
    assert forward < grads[0] < grads[1] < grads[2]
    assert out.count("forward pass") == 1  # once, not once per derivative


def test_named_steps_show_their_names_and_values(capsys):
    out = run(capsys, "explain", "q = x + y; f = q * z", "x=-2", "y=5", "z=-4", "--wrt", "x")
    assert out.startswith("forward pass, in the order it is computed:\n\n  q = x + y = 3\n  f = q·z   = -12\n")


@pytest.mark.parametrize("fmt, shown", [("text", "f = 2*3 = 6\n"), ("markdown", "f = 2\\*3 = 6\n")])
def test_a_formula_without_variables_prints_its_value(capsys, fmt, shown):
    assert run(capsys, "explain", "2*3", "--format", fmt) == shown


def test_seed001_computes_the_gradient_at_the_branch_point_once_then_goes_on():
    s = load("seed001").solve()
    w = s.net.parameter("(W_1)_{11}")
    e = explain(s.loss, w, forward=False)
    text = str(e)
    h1 = s.net.layers[0].last_post[0]
    assert "The paths split at h₁, which feeds z⁽²⁾₁ and z⁽²⁾₂: its gradient is computed once, as the sum" in text
    # ∂ℓ/∂h₁ is one step: the sum over h₁'s two consumers, evaluated and checked
    assert "∂ℓ/∂h₁ = ∂ℓ/∂ŷ₂ · ∂ŷ₂/∂z⁽²⁾₁ · ∂z⁽²⁾₁/∂h₁ + ∂ℓ/∂ŷ₂ · ∂ŷ₂/∂z⁽²⁾₂ · ∂z⁽²⁾₂/∂h₁" in text
    assert "check: the engine's h₁.grad = -0.1528 ✓" in text
    upstream = [q for q in e.quantities if q.kind == UPSTREAM]
    assert [q.wrt for q in upstream] == [h1] and upstream[0].value == pytest.approx(h1.grad, rel=1e-12)
    # relu(z) + sin(z) is one function with one derivative, not two paths
    assert "∂h₁/∂z⁽¹⁾₁     = f′(z⁽¹⁾₁) = [z⁽¹⁾₁ > 0] + cos(z⁽¹⁾₁) = 1.219" in text
    assert text.count("∂h₁/∂z⁽¹⁾₁     =") == 1 and "path" not in text.replace("The paths split", "")
    assert "dℓ/d(W₁)₁₁ = -0.1528 · 1.219 · 1 = -0.1862" in text
    assert e.value == pytest.approx(w.grad, rel=1e-12)


def test_a_single_chain_reads_exactly_as_the_path_form():
    s = load("seed002").solve()
    for w in s.wrt:
        factored = explain(s.loss, w, forward=False)
        assert str(factored) == str(explain(s.loss, w, forward=False, paths=True))
        assert factored.method == "factored"


def test_quantities_list_every_number_stated_in_order():
    s = load("seed002").solve()
    w = s.net.parameter("W^1_{21}")
    e = explain(s.loss, w)
    kinds = [q.kind for q in e.quantities]
    assert kinds == [VALUE] * 7 + [LOCAL] * 5 + [GRADIENT]
    values = {q.symbol.text: q for q in e.quantities if q.kind == VALUE}
    assert values["ŷ"].value == pytest.approx(s.outputs[0].data) and values["ℓ"].engine == s.loss.data
    final = e.quantities[-1]
    assert final.symbol.text == "dℓ/dW¹₂₁" and final.engine == w.grad and final.value == pytest.approx(-0.09248, abs=5e-6)
    assert [f.text for f in final.inputs] == ["∂ℓ/∂ŷ", "∂ŷ/∂α²", "∂α²/∂β¹₁", "∂β¹₁/∂α¹₁", "∂α¹₁/∂W¹₂₁"]


def test_a_shortcut_starts_the_chain_where_the_gradient_is_known():
    z = [Value(0.5, "z_1"), Value(-0.25, "z_2")]
    w = Value(0.8, "w")
    h = (w * 2.0).named("h")
    logits = [(z[0] * h).named("s_1"), (z[1] * h).named("s_2")]
    from autograd import softmax
    y_hat = softmax(logits, labels=["ŷ₁", "ŷ₂"])
    loss = (-y_hat[1].log()).named("ℓ")
    loss.backward()
    fused = {logits[0]: Shortcut(Formula("ŷ₁ − y₁", r"\hat{y}_1 - y_1"), "softmax with cross-entropy, Σy = 1"),
             logits[1]: Shortcut(Formula("ŷ₂ − y₂", r"\hat{y}_2 - y_2"), "softmax with cross-entropy, Σy = 1")}
    e = explain(loss, w, forward=False, shortcuts=fused)
    text = str(e)
    assert "∂ℓ/∂s₁ = ŷ₁ − y₁ = " in text and "(softmax with cross-entropy, Σy = 1)" in text
    assert "ŷ₂(1 − ŷ₂)" not in text  # the softmax's own partials are not needed any more
    assert e.value == pytest.approx(w.grad, rel=1e-12)
    assert logits[0].grad == pytest.approx(y_hat[0].data - 0.0, rel=1e-12)


def test_every_output_is_in_a_solutions_forward_table():
    s = load("seed001").solve()
    table = str(forward_table(s.loss, given=False, also=s.outputs))
    assert "ŷ₁     softmax₁(z⁽²⁾₁, z⁽²⁾₂)" in table and table.index("ŷ₁") < table.index("ŷ₂")
    assert "ŷ₁" not in str(forward_table(s.loss, given=False))  # the loss reads only ŷ₂: why `also` exists


def test_the_update_shows_the_change_even_when_it_is_tiny(capsys):
    out = run(capsys, "solve", "seed001")
    assert "(W₁)₁₁ ← 0.1 − 0.001 · (-0.1862) = 0.1002   (Δ(W₁)₁₁ = 0.0001862)" in out
    assert "-0.49996" in out  # −0.5 + 0.00004: more digits, or it would print as −0.5000
    out = run(capsys, "solve", "seed002")
    assert "1.99999999997" in out  # W¹₁₂ moves by 5.6e-11: twelve digits show it


def test_an_update_below_double_precision_says_so():
    from homework.sections import update_line
    line = update_line("w", 1e20, 1.0, 1e20, "0.001", 4)
    assert "θ′ = θ to double precision" in line


def test_solve_takes_trace_and_paths(capsys):
    out = run(capsys, "solve", "seed001", "--trace")
    assert "The backward pass, node by node" in out and "engine check: the .grad of all" in out
    out = run(capsys, "solve", "seed001", "--paths")
    assert "dℓ/d(W₁)₁₁ = sum over 4 paths." in out


def test_trace_steps_are_the_rows_of_the_table():
    s = load("seed002").solve()
    t = trace(s.loss)
    assert [step.number for step in t.steps] == list(range(1, 22))
    for step in t.steps:
        assert step.contribution == pytest.approx(step.upstream * step.local)
    last_into = {}
    for step in t.steps:
        last_into[id(step.into)] = step
    for step in last_into.values():
        if step.into.parents:
            assert step.total == pytest.approx(step.into.grad, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**9))
def test_factored_and_all_paths_agree_with_the_engine(seed):
    root, leaves = random_graph(seed)  # intermediate nodes are reused: paths branch and meet again
    root.backward()
    for node in explained_nodes(root, leaves):
        for collapse in (True, False):
            factored = explain(root, node, collapse=collapse, forward=False)
            by_paths = explain(root, node, collapse=collapse, forward=False, paths=True, max_paths=500)
            assert factored.value == pytest.approx(node.grad, rel=1e-9, abs=1e-12)
            assert factored.value == pytest.approx(by_paths.value, rel=1e-9, abs=1e-12)
            assert "✗" not in str(factored)
            for q in factored.quantities:  # every intermediate step agrees with the engine too
                if q.kind == UPSTREAM and q.engine is not None:
                    assert q.value == pytest.approx(q.engine, rel=1e-9, abs=1e-12)


def test_a_wide_layer_shows_the_first_terms_and_the_last():
    x = Value(0.3, "x")
    h = (x * 2.0).named("h")
    outs = [(h * float(k + 1)).named(f"o_{k}") for k in range(6)]
    loss = sum_values(outs).named("L")
    loss.backward()
    text = str(explain(loss, x, forward=False))
    assert "(6 terms)" in text and "…" in text
    assert explain(loss, x).value == pytest.approx(x.grad)


def test_rounding_as_by_hand_in_the_factored_form():
    s = load("seed001").solve()
    w = s.net.parameter("(W_1)_{11}")
    e = explain(s.loss, w, round_steps=True, digits=3, forward=False)
    assert e.exact == pytest.approx(w.grad, rel=1e-12)
    assert e.value == pytest.approx(w.grad, rel=2e-2) and e.value != e.exact
    assert "rounded at every step" in str(e)


def test_unused_argument_and_two_slots_of_one_node():
    x = Value(1.5, "x")
    y = (x * x).named("y")  # both slots of one node: one factor, summed over the slots
    loss = (y + x).named("L")
    loss.backward()
    e = explain(loss, x, forward=False)
    assert e.value == pytest.approx(2 * 1.5 + 1) and e.value == pytest.approx(x.grad)
    assert math.isfinite(e.exact) and "The paths split at x" in str(e)
    # and a linear node whose inputs are reused
    x = Value(1.5, "x")
    w = [Value(0.2, "w_1"), Value(-0.7, "w_2")]
    z = linear(w, [x, x], label="z")
    loss = (z * z).named("L")
    loss.backward()
    assert explain(loss, x).value == pytest.approx(x.grad)


def test_softmax_with_cross_entropy_starts_from_y_hat_minus_y_unless_unfused(capsys):
    out = run(capsys, "solve", "seed001")
    assert "Known in closed form (softmax with cross-entropy, Σy = 1):" in out
    assert "∂ℓ/∂z⁽²⁾₁ = ŷ₁ − y₁ = 0.2182" in out and "∂ℓ/∂z⁽²⁾₂ = ŷ₂ − y₂ = -0.2182" in out
    assert "∂ℓ/∂h₁ = ∂ℓ/∂z⁽²⁾₁ · ∂z⁽²⁾₁/∂h₁ + ∂ℓ/∂z⁽²⁾₂ · ∂z⁽²⁾₂/∂h₁" in out
    assert "∂h₁/∂z⁽¹⁾₁     = f′(z⁽¹⁾₁) = [z⁽¹⁾₁ > 0] + cos(z⁽¹⁾₁) = 1.219" in out
    unfused = run(capsys, "solve", "seed001", "--unfused")
    assert "Known in closed form" not in unfused and "∂ℓ/∂ŷ₂" in unfused
    assert unfused.count("check: the engine's (W₁)₁₁.grad = -0.1862 ✓") == 1


def test_a_soft_target_keeps_the_closed_form_and_a_non_distribution_is_refused():
    from homework import loads, builtin_text
    from homework.report import fused_output_errors
    soft = loads(builtin_text("seed001").replace("y = [0, 1]", "y = [0.25, 0.75]")).solve()
    z = soft.net.layers[-1].last_pre
    shortcuts = fused_output_errors(soft)
    assert list(shortcuts) == z  # ∂ℓ/∂zᵢ = ŷᵢ − yᵢ holds for any target that sums to 1
    assert z[0].grad == pytest.approx(soft.outputs[0].data - 0.25, rel=1e-12)
    with pytest.raises(ProblemError, match="sums to 1.2, not 1"):
        loads(builtin_text("seed001").replace("y = [0, 1]", "y = [0.5, 0.7]")).solve()
