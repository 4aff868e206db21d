"""Chain-rule printouts in the path form (every path listed, ``paths=True``): the seed 002 chain digit
for digit, paths that fan out, the delta form, the backward trace, the forward table, per-step
rounding, exports, determinism and read-only access. The factored form, the default, and the
forward pass that opens an explanation are tested in test_factored.py."""

import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, linear, sum_values, topological_order
from autograd import explain as explain_any_form
from autograd import forward_table, trace
from autograd.notation import format_number


def explain(root, wrt, **options):
    """The path form without the opening forward pass: what these tests were written for."""
    options.setdefault("paths", True)
    options.setdefault("forward", False)
    return explain_any_form(root, wrt, **options)


def squash(text):
    """The text with runs of spaces (alignment) made single."""
    return re.sub(" +", " ", text)


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def seed_002():
    """Seed 002, built by hand: bias weight first with the constant input 1.0."""
    x1, x2 = Value(2.0, "x_1"), Value(5.0, "x_2")
    w1 = [[-1, 2], [-2, 1], [1, 4]]  # rows: bias, x₁, x₂; columns: hidden units
    W1 = {(i, j): Value(w1[i - 1][j - 1], f"W^1_{{{i}{j}}}") for i in (1, 2, 3) for j in (1, 2)}
    W2 = {i: Value(v, f"W^2_{{{i}1}}") for i, v in zip((1, 2, 3), (1, 2, -4))}
    a11 = linear([W1[1, 1], W1[2, 1], W1[3, 1]], [1.0, x1, x2], label="alpha^1_1")
    a12 = linear([W1[1, 2], W1[2, 2], W1[3, 2]], [1.0, x1, x2], label="alpha^1_2")
    b11, b12 = a11.sigmoid().named("beta^1_1"), a12.sigmoid().named("beta^1_2")
    a2 = linear([W2[1], W2[2], W2[3]], [1.0, b11, b12], label="alpha^2")
    y_hat = a2.sigmoid().named("\\hat{y}")
    loss = (0.5 * (1 - y_hat) ** 2).named("\\ell")
    loss.backward()
    return loss, W1, W2


def hand_seed_002():
    """The sheet's numbers worked by hand (y = 1)."""
    a11 = -1 * 1 + -2 * 2 + 1 * 5
    a12 = 2 * 1 + 1 * 2 + 4 * 5
    b11, b12 = sigmoid(a11), sigmoid(a12)
    a2 = 1 * 1 + 2 * b11 + -4 * b12
    y_hat = sigmoid(a2)
    factors = [-(1 - y_hat), y_hat * (1 - y_hat), 2.0, b11 * (1 - b11), 2.0]
    return factors


def test_seed_002_chain_digit_for_digit():
    loss, W1, _ = seed_002()
    factors = hand_seed_002()
    product = math.prod(factors)
    f = [format_number(x) for x in factors]
    expected = (
        "dℓ/dW¹₂₁ = ∂ℓ/∂ŷ · ∂ŷ/∂α² · ∂α²/∂β¹₁ · ∂β¹₁/∂α¹₁ · ∂α¹₁/∂W¹₂₁\n"
        "\n"
        f"  ∂ℓ/∂ŷ      = −(1 − ŷ)     = {f[0]}\n"
        f"  ∂ŷ/∂α²     = ŷ(1 − ŷ)     = {f[1]}\n"
        f"  ∂α²/∂β¹₁   = W²₂₁         = {f[2]}\n"
        f"  ∂β¹₁/∂α¹₁  = β¹₁(1 − β¹₁) = {f[3]}\n"
        f"  ∂α¹₁/∂W¹₂₁ = x₁           = {f[4]}\n"
        "\n"
        f"dℓ/dW¹₂₁ = {f[0]} · {f[1]} · {f[2]} · {f[3]} · {f[4]} = {format_number(product)}\n"
        f"check: the engine's W¹₂₁.grad = {format_number(product)} ✓")
    e = explain(loss, W1[2, 1])
    assert str(e) == expected
    assert f == ["-0.8808", "0.1050", "2", "0.25", "2"]  # the sheet's numbers, so the layout above is pinned
    assert e.value == pytest.approx(product, rel=1e-12)
    assert e.value == pytest.approx(W1[2, 1].grad, rel=1e-12)
    (term,) = e.paths
    assert [fa.value for fa in term.factors] == pytest.approx(factors, rel=1e-12)
    assert [fa.formula for fa in term.factors] == ["−(1 − ŷ)", "ŷ(1 − ŷ)", "W²₂₁", "β¹₁(1 − β¹₁)", "x₁"]


def test_seed_002_other_weight_and_every_parameter_agrees():
    loss, W1, W2 = seed_002()
    e = explain(loss, W2[1])
    assert str(e).splitlines()[0] == "dℓ/dW²₁₁ = ∂ℓ/∂ŷ · ∂ŷ/∂α² · ∂α²/∂W²₁₁"
    assert "∂α²/∂W²₁₁ = 1" in squash(str(e))  # the bias weight multiplies the constant input 1
    for w in list(W1.values()) + list(W2.values()):
        e = explain(loss, w)
        assert e.value == pytest.approx(w.grad, rel=1e-12, abs=1e-300)
        assert str(e).endswith("✓")


def test_collapsing_off_shows_every_node_and_keeps_the_number():
    loss, W1, _ = seed_002()
    e = explain(loss, W1[2, 1], collapse=False)
    text = str(e)
    assert "∂ℓ/∂(1 − ŷ)² = 0.5" in squash(text)
    assert "∂(1 − ŷ)²/∂(1 − ŷ) = 2·(1 − ŷ)" in squash(text)
    assert "∂(1 − ŷ)/∂ŷ" in text
    assert len(e.paths[0].factors) == 7
    assert e.value == pytest.approx(W1[2, 1].grad, rel=1e-12)


def test_per_step_rounding_reproduces_a_hand_computation_and_shows_drift():
    loss, W1, _ = seed_002()
    e = explain(loss, W1[2, 1], digits=3, round_steps=True)

    def r(x):
        return float(f"{x:.3g}")

    # a student rounding every intermediate to 3 significant digits
    b12 = r(sigmoid(24.0))
    a2 = r(r(1 + r(2 * 0.5)) + r(-4 * b12)) if False else r(1 * 1 + 2 * 0.5 + -4 * b12)
    y_hat = r(sigmoid(a2))
    f1 = r(-(1 - y_hat))
    f2 = r(y_hat * (1 - y_hat))
    hand = r(r(r(r(f1 * f2) * 2) * 0.25) * 2)
    assert e.value == hand
    assert e.exact == pytest.approx(W1[2, 1].grad, rel=1e-12)
    assert e.value != e.exact
    assert f"rounded at every step: {format_number(hand, 3)}" in str(e)
    assert "drift" in str(e)


def test_node_used_twice_lists_one_path_per_argument():
    x = Value(3.0, "x")
    w = Value(-2.0, "w")
    a = (x * x).named("a")
    b = (w * x).named("b")
    loss = (a + b.tanh()).named("L")
    loss.backward()
    e = explain(loss, x)
    assert len(e.paths) == 3
    assert math.fsum(t.product for t in e.paths) == pytest.approx(x.grad, rel=1e-12)
    for t in e.paths:
        assert t.product == pytest.approx(math.prod(f.value for f in t.factors), rel=1e-12)
    text = squash(str(e))
    assert "They split at x, which feeds a (argument 1), a (argument 2) and b." in text
    assert "argument 1 of a" in text and "argument 2 of a" in text
    assert "∂L/∂b = 1 − tanh(b)²" in text


def test_hidden_unit_feeding_two_outputs():
    x1, w1 = Value(1.5, "x_1"), Value(0.4, "w_1")
    h = (w1 * x1).tanh().named("h")
    v1, v2 = Value(0.7, "v_1"), Value(-1.2, "v_2")
    o1, o2 = (v1 * h).named("o_1"), (v2 * h).named("o_2")
    loss = ((o1 - 1.0) ** 2 + (o2 + 0.5) ** 2).named("\\ell")
    loss.backward()
    e = explain(loss, w1)
    assert "They split at h, which feeds o₁ and o₂." in str(e)
    assert [t.factors[0].symbol for t in e.paths] == ["∂ℓ/∂o₁", "∂ℓ/∂o₂"]
    assert [t.factors[0].formula for t in e.paths] == ["2·(o₁ − 1)", "2·(o₂ + 0.5)"]
    assert e.paths[0].factors[-1].formula == "x₁·(1 − h²)"  # through the unnamed w₁·x₁
    t = math.tanh(0.6)
    by_hand = 2 * (0.7 * t - 1) * 0.7 * (1 - t * t) * 1.5 + 2 * (-1.2 * t + 0.5) * -1.2 * (1 - t * t) * 1.5
    assert e.value == pytest.approx(by_hand, rel=1e-12)
    assert e.value == pytest.approx(w1.grad, rel=1e-12)
    assert f"= {format_number(e.paths[0].product)} + {format_number(e.paths[1].product)} = " in str(e)


def test_too_many_paths_switch_to_the_delta_form_and_say_so():
    x = Value(0.3, "x")
    v = x
    for k in range(6):  # v is used three times at each level: 3⁶ = 729 paths
        v = (v * v.sin() + v).named(f"h_{k}")
    loss = v.named("L")
    loss.backward()
    e = explain(loss, x)
    assert e.method == "delta" and not e.paths
    text = squash(str(e))
    assert "paths lead from x to L, more than max_paths=16" in text
    assert "δ(h₀) = δ(h₁)·∂h₁/∂h₀" in text
    assert e.value == pytest.approx(x.grad, rel=1e-12)
    assert text.endswith("✓")
    small = explain(loss, x, max_paths=10**6)
    assert small.method == "paths" and len(small.paths) == 729
    assert small.value == pytest.approx(x.grad, rel=1e-12)


def test_delta_form_rounding_and_show_all():
    loss, W1, _ = seed_002()
    e = explain(loss, W1[2, 1], max_paths=1, collapse=True)
    assert e.method == "paths"  # one path is never too many
    x = Value(1.1, "x")
    y = (x * x + x.exp()).named("y")
    z = (y * x).named("z")
    z.backward()
    d = explain(z, x, max_paths=2, collapse=False)
    assert d.method == "delta"
    assert d.value == pytest.approx(x.grad, rel=1e-12)
    rd = explain(z, x, max_paths=2, round_steps=True, digits=3)
    assert rd.exact == pytest.approx(x.grad, rel=1e-12)
    assert rd.value == pytest.approx(x.grad, rel=1e-2)


def random_graph(seed):
    """A random expression over three leaves, some intermediate nodes named, all values bounded."""
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-1.5, 1.5), f"x_{k}") for k in range(3)]
    pool = list(leaves)
    for k in range(rng.randint(3, 12)):
        a, b = rng.choice(pool), rng.choice(pool)
        op = rng.randrange(10)
        if op == 0:
            v = a + b
        elif op == 1:
            v = a - b
        elif op == 2:
            v = a * b
        elif op == 3:
            v = a.tanh()
        elif op == 4:
            v = a.sigmoid()
        elif op == 5:
            v = (a * 0.5) ** 2
        elif op == 6:
            v = linear([a, b], [0.7, rng.choice(pool)], bias=0.1)
        elif op == 7:
            v = -a.sin()
        elif op == 8:
            v = sum_values([a, b, 2.0])
        else:
            v = 3.0 - a * 2.0
        if rng.random() < 0.4:
            v.named(f"h_{k}")
        pool.append(v)
    root = sum_values(pool[3:] or pool).named("L")
    return root, leaves


def explained_nodes(root, leaves) -> list:
    """What the property tests explain the root by: every third node of its graph, and the leaves in it."""
    order = topological_order(root)
    in_graph = {id(v) for v in order}
    return [v for v in order if v is not root][::3] + [v for v in leaves if id(v) in in_graph]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**9))
def test_every_path_printout_sums_to_the_gradient(seed):
    root, leaves = random_graph(seed)
    root.backward()
    for node in explained_nodes(root, leaves):
        for collapse in (True, False):
            e = explain(root, node, collapse=collapse, max_paths=500)
            if e.method == "paths":
                total = 0.0
                for t in e.paths:
                    raw = math.prod(n.partials[s] for f in t.factors for n, s in f.steps)
                    assert t.product == pytest.approx(raw, rel=1e-9, abs=1e-12)
                    assert t.product == pytest.approx(math.prod(f.value for f in t.factors), rel=1e-9, abs=1e-12)
                    total += t.product
                assert total == pytest.approx(node.grad, rel=1e-9, abs=1e-12)
            assert e.value == pytest.approx(node.grad, rel=1e-9, abs=1e-12)
            assert "✓" in str(e)
        d = explain(root, node, max_paths=1)
        assert d.value == pytest.approx(node.grad, rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# trace and forward table

def test_trace_follows_the_engine_order_with_running_totals():
    x = Value(2.0, "x")
    a = (x * 3.0).named("a")
    b = (x * x).named("b")
    loss = (a + b).named("L")
    loss.backward()
    t = trace(loss)
    text = str(t)
    lines = [line for line in text.splitlines() if re.match(r"^\d+ ", line)]
    # reverse topological order: L, then b (computed last), then a
    assert [line.split()[1] for line in lines] == ["L", "L", "b", "b", "a"]
    assert "∂b/∂x = x = 2" in lines[2]
    # x receives 2 (b, argument 1) + 2 (b, argument 2) + 3 (a): the running totals are shown
    assert lines[3].rstrip().endswith("2 + 2 = 4")
    assert lines[4].rstrip().endswith("4 + 3 = 7")
    assert "engine check: the .grad of all 3 nodes that received a gradient agrees ✓" in text
    assert t.value == loss.data


def test_trace_filters_and_limits():
    loss, W1, W2 = seed_002()
    full = trace(loss)
    named = trace(loss, named_only=True)
    part = trace(loss, wrt=W1[2, 1], named_only=True)
    assert len(str(named).splitlines()) < len(str(full).splitlines())
    part_rows = [line for line in str(part).splitlines() if re.match(r"^\d+ ", line)]
    assert [row.split()[1] for row in part_rows] == ["ℓ", "ŷ", "α²", "β¹₁", "α¹₁"]
    assert "∂ℓ/∂ŷ = −(1 − ŷ) = -0.8808" in part_rows[0]
    assert part.value == pytest.approx(W1[2, 1].grad, rel=1e-12)
    short = trace(loss, max_lines=3)
    n_full = sum(1 for line in str(full).splitlines() if re.match(r"^\d+ ", line))
    assert f"… {n_full - 3} more steps (max_lines=3)" in str(short)
    assert sum(1 for line in str(short).splitlines() if re.match(r"^\d+ ", line)) == 3


def test_trace_reports_gradients_that_disagree_with_the_engine():
    x = Value(2.0, "x")
    loss = (x * x).named("L")
    loss.backward()
    loss.backward()  # leaf gradients add up: x.grad is now twice ∂L/∂x
    text = str(trace(loss))
    assert "1 of 1 nodes differ ✗" in text and "zero_grad()" in text
    assert "✗ differs" in str(explain(loss, x))


def test_forward_table_lists_named_nodes_with_definitions():
    loss, _, _ = seed_002()
    ft = forward_table(loss)
    text = str(ft)
    assert re.search(r"^α¹₁ +W¹₁₁·1 \+ W¹₂₁·x₁ \+ W¹₃₁·x₂ +0$", text, re.M)
    assert re.search(r"^ℓ +0\.5·\(1 − ŷ\)² +0\.3879$", text, re.M)
    assert re.search(r"^x₁ +given +2$", text, re.M)
    assert ft.value == loss.data
    computed = str(forward_table(loss, given=False))
    assert "given" not in computed and "α¹₁" in computed
    every = str(forward_table(loss, all_nodes=True, round_steps=True))
    assert re.search(r"^⟨\d+⟩ +1 − ŷ ", every, re.M)
    assert "rounded by hand" in every


def test_long_unnamed_expressions_become_numbered_placeholders():
    x = Value(0.5, "x")
    v = x
    for _ in range(3):
        v = (v * 1.5).tanh() + 0.25
    loss = v.named("L")
    loss.backward()
    e = explain(loss, x)
    text = str(e)
    assert re.search(r"⟨\d+⟩", text)
    assert "where" in text  # every ⟨k⟩ used is defined
    for k in set(re.findall(r"⟨(\d+)⟩", text)):
        assert re.search(rf"^  ⟨{k}⟩ +=", text, re.M)
    assert e.value == pytest.approx(x.grad, rel=1e-12)
    short = str(explain(loss, x, max_expr=8))
    assert len(re.findall(r"⟨\d+⟩", short)) >= len(re.findall(r"⟨\d+⟩", text))


def test_long_unnamed_chains_are_shown_by_their_number():
    x = Value(0.5, "x")
    v = x
    for _ in range(5000):  # 10⁴ unnamed steps: fast, and no formula ten thousand factors long
        v = (v * 0.999).sin()
    loss = v.named("L")
    loss.backward()
    e = explain(loss, x)
    assert "a product of 10000 local partials" in str(e)
    assert e.value == pytest.approx(x.grad, rel=1e-9)
    t = trace(loss, max_lines=5)
    assert "… 9995 more steps (max_lines=5)" in str(t)
    assert "(more nodes ⟨k⟩ are listed by forward_table(root, all_nodes=True))" in str(t)


def test_errors_say_what_to_do():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    loss = (x * 2.0).named("L")
    with pytest.raises(ValueError, match="not among the nodes root was computed from"):
        explain(loss, y)
    with pytest.raises(TypeError, match="root must be a Value"):
        explain(3.0, x)
    with pytest.raises(TypeError, match="wrt must be a Value"):
        explain(loss, "x")
    with pytest.raises(ValueError, match="digits"):
        explain(loss, x, digits=0)
    with pytest.raises(ValueError, match="max_paths"):
        explain(loss, x, max_paths=0)
    with pytest.raises(ValueError, match="max_lines"):
        trace(loss, max_lines=0)
    with pytest.raises(ValueError, match="math must be"):
        explain(loss, x).to_markdown(math="tex")
    assert str(explain(loss, loss)).startswith("dL/dL = 1")


def test_unnamed_root_and_before_backward():
    x = Value(3.0, "x")
    y = x ** 2
    e = explain(y, x)
    assert str(e).splitlines()[0] == "dx²/dx = ∂x²/∂x"
    assert "run backward()" in str(e)
    assert e.value == 6.0


# ---------------------------------------------------------------------------------------------
# exports and determinism

def all_outputs():
    loss, W1, _ = seed_002()
    x = Value(1.5, "x_1")
    h = (x * 0.4).tanh().named("h")
    two = ((h * 0.7 - 1.0) ** 2 + (h * -1.2 + 0.5) ** 2).named("\\ell")
    two.backward()
    z = Value(0.35, "z^{(1)}_1")
    h = (z.relu() + z.sin()).named("h")  # two routes from z to h: notes tell them apart
    h.backward()
    return [explain(h, z), explain(h, z, max_paths=1), explain(loss, W1[2, 1]), explain(loss, W1[2, 1], round_steps=True), explain(loss, W1[2, 1], max_paths=0 + 1),
            explain(two, x), explain(two, x, max_paths=1), explain(two, x, collapse=False),
            trace(loss), trace(loss, named_only=True, wrt=W1[2, 1], max_lines=4), forward_table(loss),
            forward_table(loss, all_nodes=True, round_steps=True)]


def markdown_problems(md: str, latex_math: bool) -> list[str]:
    problems = []
    lines = md.split("\n")
    for k, line in enumerate(lines):
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line))
            if k == 0 or not lines[k - 1].startswith("|"):  # a header: a separator must follow
                header = cells
                if not re.fullmatch(r"\|(---\|)+", lines[k + 1]):
                    problems.append(f"no separator after header: {line}")
            if cells != header:
                problems.append(f"row has {cells} pipes, header {header}: {line}")
        if "`" in line.replace("\\`", ""):
            problems.append(f"stray backtick: {line}")
        dollars = len(re.findall(r"(?<!\\)\$", line))
        if latex_math and dollars % 2:
            problems.append(f"unbalanced $: {line}")
        if not latex_math and dollars:
            problems.append(f"unescaped $ in text mode: {line}")
    return problems


def latex_problems(tex: str) -> list[str]:
    problems = []
    if not tex.isascii():
        problems.append("non-ASCII characters: " + "".join(sorted({c for c in tex if not c.isascii()})))
    body = tex.replace("\\\\", "").replace("\\{", "").replace("\\}", "").replace("\\$", "")
    depth = 0
    for c in body:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            problems.append("a } closes nothing")
            break
    if depth > 0:
        problems.append("unclosed {")
    for para in body.split("\n\n"):
        if para.count("$") % 2:
            problems.append(f"unbalanced $ in: {para[:60]}")
    stack = []
    for kind, env in re.findall(r"\\(begin|end)\{(\w+\*?)\}", tex):
        if kind == "begin":
            stack.append(env)
        elif not stack or stack.pop() != env:
            problems.append(f"\\end{{{env}}} closes nothing open")
    if stack:
        problems.append(f"unclosed environments {stack}")
    if tex.count("\\[") != tex.count("\\]"):
        problems.append("\\[ and \\] do not pair up")
    return problems


def test_markdown_is_well_formed():
    for e in all_outputs():
        for math_mode in ("text", "latex"):
            md = e.to_markdown(math=math_mode)
            assert markdown_problems(md, math_mode == "latex") == [], md


def test_markdown_escapes_what_markdown_would_read():
    x = Value(2.0, "x_*|")  # a label with Markdown's special characters, left as typed
    loss = abs(x * 3.0).named("L")
    loss.backward()
    md = explain(loss, x).to_markdown()
    assert markdown_problems(md, False) == [], md
    assert "\\*" in md and "\\|" in md


def test_latex_is_balanced_and_ascii():
    for e in all_outputs():
        tex = e.to_latex()
        assert latex_problems(tex) == [], tex
        assert latex_problems(e.to_latex(standalone=True)) == []
    tex = all_outputs()[2].to_latex()
    assert r"\frac{\partial \ell}{\partial \hat{y}} &= -(1 - \hat{y}) = -0.8808" in tex
    assert r"\frac{\partial \alpha^{2}}{\partial \beta^{1}_{1}} &= W^{2}_{21} = 2" in tex


TEX = shutil.which("pdflatex") or shutil.which("lualatex")


@pytest.mark.skipif(not TEX, reason="no TeX engine installed (Debian: apt-get install texlive-latex-base)")
def test_latex_compiles():
    body = "\n\\bigskip\n".join(e.to_latex() for e in all_outputs())
    doc = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body + "\\end{document}\n"
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "x.tex").write_text(doc)
        run = subprocess.run([TEX, "-interaction=nonstopmode", "-halt-on-error", "x.tex"], cwd=tmp,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout[-3000:]


def test_output_is_byte_identical_across_builds_and_runs():
    first = [(str(e), e.to_markdown(), e.to_latex()) for e in all_outputs()]
    second = [(str(e), e.to_markdown(), e.to_latex()) for e in all_outputs()]
    assert first == second
    script = ("import sys; sys.path.insert(0, %r); import test_explain as t; "
              "print(''.join(str(e) + e.to_markdown() + e.to_latex() for e in t.all_outputs()))"
              % str(Path(__file__).parent))
    outs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1
    assert outs.pop() == "".join(a + b + c for a, b, c in first) + "\n"


def test_printouts_only_read_the_graph():
    loss, W1, _ = seed_002()
    nodes = topological_order(loss)
    before = [(v.data, v.grad, v.label, v.op, v.parents, v.partials, v.consts) for v in nodes]
    for e in (explain(loss, W1[2, 1], round_steps=True, max_paths=1), explain(loss, W1[1, 2], collapse=False),
              trace(loss), trace(loss, named_only=True, wrt=W1[2, 1]), forward_table(loss, all_nodes=True)):
        str(e), e.to_markdown(), e.to_latex()
    after = [(v.data, v.grad, v.label, v.op, v.parents, v.partials, v.consts) for v in nodes]
    assert before == after


def test_paths_are_listed_as_graph_paths_lists_them():
    from autograd import paths
    for seed in range(30):
        root, leaves = random_graph(seed)
        root.backward()
        for node in leaves:
            found = list(paths(node, root))
            if not found or len(found) > 16:
                continue
            e = explain(root, node, collapse=False)
            assert len(e.paths) == len(found)
            for term, path in zip(e.paths, found):
                product = 1.0
                for n, slot in path:
                    product *= n.partials[slot]
                assert term.product == pytest.approx(product, rel=1e-12, abs=1e-300)


