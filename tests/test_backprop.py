"""The layer-level derivation (nn.backprop) on the four sheets: the symbolic lines in each sheet's
notation, every number checked against the engine, seed 003's closed forms with several samples,
the simplification table's edges, and the LaTeX of every solution compiling with pdflatex."""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pytest

from homework import load
from nn import MLP
from nn.backprop import layer_derivation
from nn.backprop.numbers import columns


def derivation(seed: str, **options):
    problem = load(seed)
    net = problem.build()
    net(problem.x)
    return layer_derivation(net, problem.loss, problem.y, **options)


def test_seed001_error_terms_in_the_sheets_notation():
    d = derivation("seed001")
    text = str(d)
    assert "δ₂    = ŷ − y" in text and "Σy = 1" in text
    assert "δ₁ = (W₂ᵀ δ₂) ⊙ f′(z⁽¹⁾)" in text
    assert "f′(z) = [z > 0] + cos(z)" in text
    lines = text.splitlines()
    k = next(i for i, line in enumerate(lines) if "f′(z⁽¹⁾) = [z⁽¹⁾ > 0] + cos(z⁽¹⁾) = " in line)
    assert lines[k - 1].strip() == "[ 1.219 ]"  # the first unit, at z = 1.35
    assert "∂ℓ/∂W₂ = δ₂ hᵀ" in text and "∂ℓ/∂W₁ = δ₁ xᵀ" in text
    assert d.agrees and "✗" not in text
    assert np.allclose(columns(d.deltas[1]).ravel(), [0.2182, -0.2182], atol=5e-5)


def test_seed002_bias_first_recursion_with_w_bar():
    text = str(derivation("seed002"))
    assert "δ¹ = (W̄² δ²) ⊙ σ′(α¹)" in text and "without its first (bias) row, and no transpose" in text
    assert "[  2 ]·(−0.09248) ⊙ [      0.25 ] = [  -0.04624 ]" in text
    assert "[ -4 ]              [ 3.775e-11 ]   [ 1.396e-11 ]" in text
    assert "∂ℓ/∂W² = [1; β¹] δ²ᵀ" in text and "δ²    = (ŷ − y)·ŷ·(1 − ŷ)" in text


def test_seed003_closed_forms_for_every_layer_with_the_sum_over_samples():
    problem = load("seed003")
    net = problem.build()
    samples = [(problem.x, problem.y), ([0.3, 1.2], [1]), ([-1.0, 0.4], [-1])]
    d = layer_derivation(net, "logistic", samples=samples)
    text = str(d)
    assert "cᵢ = δ₃ = −y/(1 + exp(y·f₃))" in text
    assert "∇_{b₃} C = Σᵢ cᵢ" in text and "(the product is replaced by 1)" in text
    assert "∇_{b₂} C = Σᵢ cᵢ (W₃ diag(pos(z₂)))ᵀ = Σᵢ cᵢ diag(pos(z₂)) W₃ᵀ" in text
    assert "Σᵢ cᵢ (W₃ diag(pos(z₂)) W₂ diag(pos(z₁)))ᵀ = Σᵢ cᵢ diag(pos(z₁)) W₂ᵀ diag(pos(z₂)) W₃ᵀ" in text
    assert "∇_{W₁} C = Σᵢ cᵢ diag(pos(z₁)) W₂ᵀ diag(pos(z₂)) W₃ᵀ xᵀ" in text
    assert d.agrees
    # the sum over samples is the engine's gradient of C = Σᵢ log(1 + exp(−yᵢ fᵢ))
    mean = layer_derivation(net, "logistic", samples=samples, reduction="mean")
    assert np.allclose(mean.weight_gradients[0], d.weight_gradients[0] / 3) and mean.agrees
    assert "(1/N)" in str(mean)


def test_seed003_from_the_problem_file_has_every_layer():
    text = str(derivation("seed003"))
    for l in "₁₂₃":
        assert f"∇_{{b{l}}} C = c" in text and f"∇_{{W{l}}} C = c" in text


def test_seed000_identities_derived_from_index_form():
    text = str(derivation("seed000"))
    assert "β₂ = ∇l_y(a⁽²⁾)  kept as it is: the loss is generic" in text
    assert "∂φ₂/∂W⁽²⁾ᵢⱼ = Σₘ β₂,ₘ [m = i] a⁽¹⁾ⱼ = β₂,ᵢ a⁽¹⁾ⱼ" in text
    assert "∂φ₂/∂W⁽²⁾   = β₂ a⁽¹⁾ᵀ" in text
    assert "β₁   = W⁽²⁾ᵀ β₂" in text and "β₁,ᵢ = Σⱼ W⁽²⁾ⱼᵢ β₂,ⱼ" in text
    assert "∂φ₁/∂W⁽¹⁾   = (β₁ ⊙ σ′(z⁽¹⁾)) xᵀ" in text
    assert "✗" not in text and text.count("✓") >= 8


def test_no_wrong_simplification_and_a_double_softmax_is_warned():
    net = MLP([3, 2], activations="softmax", seed=1)
    d = layer_derivation(net, "cross_entropy", [0, 1], [0.1, 0.2, 0.3])
    assert "double softmax" in str(d) and not d.output_error.simplified and d.agrees
    tanh = layer_derivation(MLP([3, 2], activations="tanh", seed=1), "squared_error", [0.5, -1], [1, 2, 3])
    assert not tanh.output_error.simplified and "the general chain" in str(tanh)
    # ŷ − y needs Σy = 1, and a cross-entropy target is refused unless it is a distribution, so the
    # general (Σy)ŷ − y is never reached with a wrong simplification in between
    with pytest.raises(ValueError, match="sums to 1.5, not 1"):
        layer_derivation(MLP([3, 2], activations="softmax", seed=1), "cross_entropy_from_probabilities",
                         [0.5, 1.0], [1, 2, 3])


def test_the_network_is_left_as_it_was():
    problem = load("seed001")
    solution = problem.solve()
    before = solution.net.matrices(grad=True)
    layer_derivation(solution.net, problem.loss, problem.y, problem.x)
    after = solution.net.matrices(grad=True)
    assert all(np.array_equal(before[k], after[k]) for k in before)
    assert solution.net.layers[0].last_pre[0] is solution.net.forward_values()[4][1]


def test_bad_input_is_refused_clearly():
    net = MLP([2, 1], seed=0)
    with pytest.raises(ValueError, match="unknown loss"):
        layer_derivation(net, "huber", [1.0], [1, 2])
    with pytest.raises(ValueError, match="reduction"):
        layer_derivation(net, "mse", [1.0], [1, 2], reduction="max")
    with pytest.raises(ValueError, match="1 outputs"):
        layer_derivation(net, "mse", [1.0, 2.0], [1, 2])
    with pytest.raises(ValueError, match="no input"):
        layer_derivation(net, "mse", [1.0])


def test_renders_in_three_formats_with_matrices_as_math():
    d = derivation("seed002")
    assert "\\begin{bmatrix}" in d.to_markdown() and "$$" in d.to_markdown()
    tex = d.to_latex()
    assert "\\odot" in tex and "^\\top" in tex and "\\bar{W}^{2}" in tex and tex.isascii()
    md = load("seed001").solve().render("markdown")
    assert "```" not in md and "$$W_{1} = \\begin{bmatrix}" in md


def _pdflatex():
    if shutil.which("pdflatex"):
        return shutil.which("pdflatex")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("pdflatex is required under CI=true (Debian: apt-get install texlive-latex-base)")
    pytest.skip("pdflatex is not installed (Debian: apt-get install texlive-latex-base)")


@pytest.mark.parametrize("seed", ["seed000", "seed001", "seed002", "seed003"])
def test_the_latex_solution_compiles(seed, tmp_path):
    pdflatex = _pdflatex()
    tex = load(seed).solve().render("latex", by_section=True)  # the complete solution, every section
    assert "Error terms and gradients, layer by layer" in tex and "\\operatorname{diag}" in tex or seed != "seed003"
    (tmp_path / "solution.tex").write_text(tex, encoding="utf-8")
    result = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "solution.tex"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "solution.pdf").stat().st_size > 1000
