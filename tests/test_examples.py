"""Every example script runs, and its key numbers are the right ones."""

import importlib.util
import math
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_example(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_seed000_identities_hold(capsys):
    r = load_example("seed000_identities").main(["--trials", "8"])
    assert r["worst"] < 1e-12
    out = capsys.readouterr().out
    assert "(a) ∂φ₂/∂W⁽²⁾₁₁ = a⁽¹⁾₁·β₂,₁" in out
    # the small case by hand: z = W1 x, a1 = tanh z, a2 = W2 a1, β₂ = a2 − y
    z = [0.2 * 1 - 0.4 * 2 + 0.1 * -1, 0.7 * 1 + 0.3 * 2 - 0.5 * -1]
    a1 = [math.tanh(v) for v in z]
    a2 = [0.6 * a1[0] - 0.2 * a1[1], -0.3 * a1[0] + 0.8 * a1[1]]
    assert r["beta2"] == pytest.approx([a2[0] - 1, a2[1] - 0], rel=1e-12)
    assert r["dW2"][0][1] == pytest.approx((a2[0] - 1) * a1[1], rel=1e-12)


def test_seed001_numbers(capsys):
    r = load_example("seed001_relu_sin_softmax").main([])
    assert r["z1"] == pytest.approx([1.35, 0.35, 0.6], abs=1e-12)
    assert r["h"][2] == pytest.approx(0.6 + math.sin(0.6), rel=1e-15)
    z2 = r["z2"]
    assert r["y_hat"][0] == pytest.approx(1 / (1 + math.exp(z2[1] - z2[0])), rel=1e-12)
    assert r["worst_formula_difference"] < 1e-12
    assert r["after"]["b₂"][0] == pytest.approx(0.05 - 0.001 * r["y_hat"][0], rel=1e-12)
    assert "off by one" in capsys.readouterr().out


def test_seed002_every_question(capsys):
    r = load_example("seed002_sigmoid_network").main([])
    b11, b12 = sigmoid(0), sigmoid(24)
    a2 = 1 + 2 * b11 - 4 * b12
    y_hat = sigmoid(a2)
    assert r["alpha1"] == [0.0, 24.0] and r["beta1"] == [b11, b12]
    assert r["alpha2"] == pytest.approx(a2, rel=1e-15)
    assert r["y_hat"] == pytest.approx(y_hat, rel=1e-15) and r["class"] == 0
    assert r["loss"] == pytest.approx(0.5 * (1 - y_hat) ** 2, rel=1e-15)
    d_a2 = -(1 - y_hat) * y_hat * (1 - y_hat)
    assert r["dW2_11"] == pytest.approx(d_a2, rel=1e-12)
    assert r["dW1_21"] == pytest.approx(d_a2 * 2 * 0.25 * 2, rel=1e-12)
    assert r["dW2_21"] == pytest.approx(d_a2 * b11, rel=1e-12)
    assert r["new_W2_11"] == pytest.approx(1 - 2 * d_a2, rel=1e-12)
    assert r["new_W1_21"] == pytest.approx(-2 - 2 * (d_a2 * 2 * 0.25 * 2), rel=1e-12)
    assert r["explained"] == pytest.approx((r["dW2_11"], r["dW1_21"]), rel=1e-12)
    out = capsys.readouterr().out
    assert "7. ŷ < 0.5, so x is classified as 0" in out


def test_seed003_formulas_for_L_1_to_5(capsys):
    r = load_example("seed003_deep_logistic").main(["--samples", "3"])
    assert sorted(r["worst"]) == [1, 2, 3, 4, 5]
    assert max(r["worst"].values()) < 1e-12
    # the problem file's two samples, by hand: f₃ = 0.392 with y = −1, and f₃ = 1.2·0.279 − 0.8·0.937 + 0.3
    # = −0.1148 with y = +1 (z₁ = (0, 0, 0.93), z₂ = (0.279, 0.937)); C sums log(1 + exp(−y f₃))
    assert r["C"] == pytest.approx(math.log1p(math.exp(0.392)) + math.log1p(math.exp(0.1148)), rel=1e-12)
    out = capsys.readouterr().out
    # (z₁)₁ feeds both units of layer 2 in each sample: its gradient is computed once per sample, as a
    # sum over both; the bias feeds both samples, so dC/d(b₁)₁ sums their two chains
    assert "The paths split at (z₁)₁⁽¹⁾, which feeds (f₂)₁⁽¹⁾ and (f₂)₂⁽¹⁾, and at (z₁)₁⁽²⁾" in out
    assert "and at (b₁)₁, which feeds (f₁)₁⁽¹⁾ and (f₁)₁⁽²⁾" in out
    assert "check: the engine's (z₁)₁⁽¹⁾.grad = 0.5968 ✓" in out
