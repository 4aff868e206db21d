"""Problem files: every seed's file solves to its sheet's numbers; broken files get errors that name
the file, the key and the fix."""

import math
from pathlib import Path

import numpy as np
import pytest

from homework import BUILTIN, ProblemError, builtin_text, load, loads

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

SEED002 = builtin_text("seed002")


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_builtin_problems_are_the_example_files():
    for name, filename in BUILTIN.items():
        assert builtin_text(name) == (EXAMPLES / filename).read_text(encoding="utf-8")


def test_seed002_solution_numbers_by_hand():
    s = load("seed002").solve()
    b11, b12 = sigmoid(0.0), sigmoid(24.0)
    a2 = 1 + 2 * b11 - 4 * b12
    y_hat = sigmoid(a2)
    dl_da2 = -(1 - y_hat) * y_hat * (1 - y_hat)
    assert s.outputs[0].data == pytest.approx(y_hat, rel=1e-15)
    assert s.loss.data == pytest.approx(0.5 * (1 - y_hat) ** 2, rel=1e-15)
    assert s.grads["W²"][:, 0] == pytest.approx([dl_da2, dl_da2 * b11, dl_da2 * b12], rel=1e-12)
    d_alpha11 = dl_da2 * 2 * b11 * (1 - b11)
    assert s.grads["W¹"][:, 0] == pytest.approx([d_alpha11, d_alpha11 * 2, d_alpha11 * 5], rel=1e-12)
    assert s.after["W¹"][1, 0] == -2 - 2 * s.grads["W¹"][1, 0]
    assert [w.label for w in s.wrt] == ["W²₁₁", "W¹₂₁"]
    # the network keeps the forward pass's values; the step is reported, not applied to it
    assert s.net.parameter("W^1_{21}").data == -2.0


def test_seed001_file_reproduces_the_sheets_forward_values():
    s = load("seed001").solve()
    hidden, output = s.net.layers
    assert [z.data for z in hidden.last_pre] == pytest.approx([1.35, 0.35, 0.6], abs=1e-12)
    assert [a.data for a in hidden.last_post] == pytest.approx([2.3257, 0.6929, 1.1646], abs=5e-5)
    assert [v.data for v in s.outputs] == pytest.approx([0.2182, 0.7818], abs=5e-5)
    delta2 = np.array([v.data for v in s.outputs]) - np.array([0.0, 1.0])
    assert s.grads["b₂"] == pytest.approx(delta2, rel=1e-12)
    assert s.after["W₂"] == pytest.approx(s.before["W₂"] - 0.001 * s.grads["W₂"], rel=1e-15)


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_every_builtin_problem_solves_and_renders_in_every_format(name):
    s = load(name).solve()
    for fmt in ("text", "markdown", "latex"):
        text = s.render(fmt)
        assert s.loss.label in text or fmt == "latex"
        assert "check: the engine's" in text or fmt == "latex"
    latex = s.render("latex")
    assert latex.startswith("\\documentclass") and latex.rstrip().endswith("\\end{document}")
    assert latex.count("{") == latex.count("}")
    assert latex.count("\\begin{") == latex.count("\\end{")
    assert all(ord(c) < 128 for c in latex), "LaTeX output must be ASCII so pdflatex reads it"


def test_rendering_is_byte_identical_across_runs():
    assert load("seed001").solve().render("markdown") == load("seed001").solve().render("markdown")


def broken(old, new):
    assert old in SEED002
    return SEED002.replace(old, new)


@pytest.mark.parametrize("text, fragments", [
    (broken("[[layer]]\nweights", "[[layer]]\nweigths"), ["unknown key 'weigths'", "did you mean 'weights'", "[layer]"]),
    (broken('kind = "squared_error"', 'kind = "squared_eror"'), ["unknown loss 'squared_eror'", "did you mean 'squared_error'"]),
    (broken('activation = "sigmoid"', 'activation = "sigmoud"'), ["[[layer]] 1 activation", "sigmoud"]),
    (broken('activation = "sigmoid"', 'activation = "relu(z) + foo(z)"'), ["unknown function 'foo'"]),
    (broken("[-2, 1]", "[-2, 1, 3]"), ["row", "different lengths"]),
    (broken("[[1],\n           [2],", "[[1],"), ["shape", "expected"]),
    (broken("x = [2, 5]", 'x = [2, "5"]'), ["[data] x[1]", "expected a number"]),
    (broken("x = [2, 5]", "x = [2, nan]"), ["not a finite number"]),
    (broken("x = [2, 5]", "x = [2, 5, 7]"), ["[data] x"]),
    (broken("learning_rate = 2", "learning_rate = -2"), ["learning_rate must be positive"]),
    (broken('derivatives = ["W^2_{11}", "W^1_{21}"]', 'derivatives = ["W^9_{11}"]'), ["nothing in the network is named 'W^9_{11}'", "W¹₂₁"]),
    (broken('convention = "W^T x"', 'convention = "xW"'), ["[network] convention"]),
    (broken('notation = "alpha-beta"', 'notation = "greek"'), ["[network] notation", "alpha-beta"]),
    (broken("[data]", "[dta]"), ["unknown key 'dta'", "did you mean 'data'"]),
    (broken("x = [2, 5]", "x = [2, 5"), ["not valid TOML"]),
])
def test_broken_files_name_the_file_the_key_and_the_fix(text, fragments):
    with pytest.raises(ProblemError) as info:
        loads(text, source="mine.toml").solve()
    message = str(info.value)
    assert message.startswith("mine.toml")
    for fragment in fragments:
        assert fragment in message


def test_derivatives_of_named_nodes_other_than_parameters():
    text = SEED002.replace('derivatives = ["W^2_{11}", "W^1_{21}"]', 'derivatives = ["alpha^1_1", "x_1", "W1_21"]')
    s = loads(text).solve()
    # the file's own list, then what its questions ask for beyond it (question 2.4: dℓ/dW²₁₁)
    assert [w.label for w in s.wrt] == ["α¹₁", "x₁", "W¹₂₁", "W²₁₁"]
    assert [w.label for w, *_ in s.steps] == ["W¹₂₁", "W²₁₁"]  # only parameters take a step
    assert "dℓ/dα¹₁ = ∂ℓ/∂ŷ · ∂ŷ/∂α² · ∂α²/∂β¹₁ · ∂β¹₁/∂α¹₁" in s.render()


def test_cross_entropy_on_a_softmax_output_is_refused_with_the_fix():
    text = builtin_text("seed001").replace('kind = "cross_entropy_from_probabilities"', 'kind = "cross_entropy"')
    with pytest.raises(ProblemError, match="cross_entropy_from_probabilities"):
        loads(text, source="s1.toml")


def test_missing_file_and_unknown_builtin():
    with pytest.raises(ProblemError, match="no such file"):
        load("does-not-exist.toml")
    with pytest.raises(ProblemError, match="built-in problems"):
        load("seed999")


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_latex_solution_compiles_when_pdflatex_is_installed(name, tmp_path):
    import shutil
    import subprocess
    if not shutil.which("pdflatex"):
        pytest.skip("pdflatex is not installed (Debian: apt-get install texlive-latex-base)")
    (tmp_path / "s.tex").write_text(load(name).solve().render("latex"), encoding="ascii")
    r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-2000:]
    assert (tmp_path / "s.pdf").read_bytes()[:5] == b"%PDF-"
