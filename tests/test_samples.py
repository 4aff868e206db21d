"""Problem files with several samples and an L2 term: read and checked, summed or averaged as the
file says, and every gradient equal to the per-sample gradients worked out one sample at a time."""

from __future__ import annotations

import numpy as np
import pytest

from homework import ProblemError, builtin_text, load, loads

SEED003 = builtin_text("seed003")
ONE = SEED003.replace("""x = [[1.5, -0.5],      # sample 1
     [-0.4, 1.2]]      # sample 2
y = [[-1], [1]]        # one label y ∈ {−1, +1} per sample""", "x = [1.5, -0.5]\ny = [-1]").replace(
    'reduction = "sum"      # C = Σᵢ log(1 + exp(−yᵢ f_L(xᵢ))), as the sheet writes it', "")
SECOND = ONE.replace("x = [1.5, -0.5]\ny = [-1]", "x = [-0.4, 1.2]\ny = [1]")


def grads(text: str) -> dict:
    return loads(text).solve().grads


def test_seed003_sums_its_two_samples_as_the_sheets_c():
    both, first, second = load("seed003").solve(), grads(ONE), grads(SECOND)
    assert len(both.runs) == 2 and both.problem.reduction == "sum"
    for name, g in both.grads.items():
        assert np.allclose(g, first[name] + second[name], rtol=1e-12, atol=1e-15), name
    one, two = loads(ONE).solve().loss.data, loads(SECOND).solve().loss.data
    assert both.loss.data == pytest.approx(one + two, rel=1e-15)
    text = both.render(by_section=True)
    assert "sample 2: input x = (-0.4, 1.2), target y = (1)" in text
    assert "C         C⁽¹⁾ + C⁽²⁾" in text  # the forward table ends with the sum of the samples' losses
    assert "(b₁)₁, which feeds (f₁)₁⁽¹⁾ and (f₁)₁⁽²⁾" in text  # a weight's gradient sums over the samples


def test_a_mean_is_the_sum_over_n():
    mean = SEED003.replace('reduction = "sum"', 'reduction = "mean"')
    m, s = loads(mean).solve(), load("seed003").solve()
    for name in s.grads:
        assert np.allclose(m.grads[name], s.grads[name] / 2, rtol=1e-12, atol=1e-15)
    assert "C = (1/N) Σᵢ C⁽ⁱ⁾" in m.render(by_section=True)


def test_several_samples_need_a_reduction_and_one_target_each():
    with pytest.raises(ProblemError, match=r"\[loss\] reduction: the file has 2 samples; say how their losses combine"):
        loads(SEED003.replace('reduction = "sum"', ""))
    with pytest.raises(ProblemError, match=r"x holds 2 samples .* y needs one target per sample"):
        loads(SEED003.replace("y = [[-1], [1]]", "y = [[-1]]"))
    with pytest.raises(ProblemError, match="expected \"sum\" or \"mean\""):
        loads(SEED003.replace('reduction = "sum"', 'reduction = "average"'))
    with pytest.raises(ProblemError, match="sample 2"):
        loads(SEED003.replace("[-0.4, 1.2]", "[-0.4, 1.2, 3]")).solve()


def test_an_l2_term_adds_lambda_w_to_every_weights_gradient_and_not_the_biases():
    plain, half, full = grads(ONE), grads(ONE.replace("[training]", "l2 = 0.1\n\n[training]")), \
        grads(ONE.replace("[training]", 'l2 = 0.1\nl2_form = "full"\n\n[training]'))
    net = loads(ONE).build()
    for name, W in net.matrices().items():
        if name.startswith("W"):
            assert np.allclose(half[name], plain[name] + 0.1 * W, rtol=1e-12, atol=1e-15), name
            assert np.allclose(full[name], plain[name] + 0.2 * W, rtol=1e-12, atol=1e-15), name
        else:  # biases: not in the term unless asked
            assert np.allclose(half[name], plain[name], rtol=1e-12, atol=1e-15), name
    biases = grads(ONE.replace("[training]", "l2 = 0.1\nl2_biases = true\n\n[training]"))
    assert np.allclose(biases["b₁"], plain["b₁"] + 0.1 * net.matrices()["b₁"])


def test_the_bias_row_of_w_is_left_out_of_the_l2_term_in_the_bias_first_convention():
    seed002 = builtin_text("seed002")
    plain, l2 = loads(seed002).solve(), loads(seed002.replace('kind = "squared_error"', 'kind = "squared_error"\nl2 = 0.5')).solve()
    W1 = plain.before["W¹"]
    diff = l2.grads["W¹"] - plain.grads["W¹"]
    assert np.allclose(diff[0], 0) and np.allclose(diff[1:], 0.5 * W1[1:])
    text = l2.render(by_section=True)
    assert "L2 term R = (λ/2)·Σ W² with λ = 0.5, over the weights (not the biases)" in text


@pytest.mark.parametrize("edit, message", [
    ("l2 = -1", "λ must be ≥ 0"),
    ('l2 = 0.1\nl2_form = "double"', 'expected "half"'),
    ("l2 = 0.1\nl2_biases = 1", "expected true or false"),
    ('l2_form = "full"', "add l2 = λ"),
])
def test_l2_options_are_checked(edit, message):
    with pytest.raises(ProblemError, match=message):
        loads(ONE.replace("[training]", edit + "\n\n[training]"))
