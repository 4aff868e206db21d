"""The four problem sheets in their own notation: forward values against the sheets and hand
arithmetic, gradients against numpy matrix formulas (δ₂ = ŷ − y, ∂L/∂W₂ = δ₂hᵀ, ...) and gradcheck,
and one SGD step against the sheet's update rule."""

import math

import numpy as np
import pytest

from autograd import gradcheck
from nn import MATRIX_SUBSCRIPT, MLP, SGD, losses

SEED003_NOTATION = MATRIX_SUBSCRIPT.with_(pre="(f_<l>)_<u>", post="(z_<l>)_<u>", output_pre="f_<l>")

# ---------------------------------------------------------------------------------------------------
# Seed 002: α = Wᵀx with the bias as the first row of W, sigmoid, ℓ = ½(y − ŷ)², λ = 2.

W1_002 = [[-1, 2], [-2, 1], [1, 4]]
W2_002 = [[1], [2], [-4]]


def seed002():
    net = MLP.from_matrices([W1_002, W2_002], activations="sigmoid", convention="W^T x", notation="alpha-beta")
    y_hat, = net([2, 5])
    loss = losses.squared_error(y_hat, 1.0)
    loss.backward()
    return net, y_hat, loss


def sigmoid(t):
    return 1.0 / (1.0 + math.exp(-t))


def test_seed002_forward_values_and_names_match_the_sheet():
    net, y_hat, loss = seed002()
    values = dict(net.forward_values())
    assert list(values) == ["x₁", "x₂", "α¹₁", "β¹₁", "α¹₂", "β¹₂", "α²", "ŷ"]
    assert values["α¹₁"].data == 0.0
    assert values["β¹₁"].data == 0.5
    assert values["α¹₂"].data == 24.0
    assert round(values["α²"].data, 4) == -2.0
    assert round(y_hat.data, 4) == 0.1192
    assert loss.label == "ℓ" and round(loss.data, 4) == 0.3879


def test_seed002_pre_activation_is_one_linear_node_with_the_bias_weight_first():
    net, _, _ = seed002()
    a11 = net.layers[0].last_pre[0]
    assert a11.op == "linear"
    assert [p.label for p in a11.parents] == ["W¹₁₁", "W¹₂₁", "W¹₃₁", "x₁", "x₂"]
    assert a11.consts == (None, None, None, 1.0, None, None)  # the constant 1 in front of x
    # ∂α¹₁/∂W¹₂₁ = x₁ = 2, ∂α¹₁/∂x₁ = W¹₂₁ = −2
    assert a11.partials[1] == 2.0 and a11.partials[3] == -2.0


def test_seed002_gradients_match_hand_arithmetic_and_the_lambda_2_update():
    net, y_hat, loss = seed002()
    # the sheet's chain, by hand in floats (not by the engine)
    a11, a12 = -1 * 1 + -2 * 2 + 1 * 5, 2 * 1 + 1 * 2 + 4 * 5
    b11, b12 = sigmoid(a11), sigmoid(a12)
    a2 = 1 * 1 + 2 * b11 + -4 * b12
    yh = sigmoid(a2)
    dl_dyh = -(1 - yh)
    dyh_da2 = yh * (1 - yh)
    d_w2_11 = dl_dyh * dyh_da2 * 1.0          # ∂α²/∂W²₁₁ = 1 (the bias input)
    d_w1_21 = dl_dyh * dyh_da2 * 2 * (b11 * (1 - b11)) * 2  # · W²₂₁ · β¹₁(1 − β¹₁) · x₁
    assert y_hat.data == pytest.approx(yh, rel=1e-14)
    assert loss.data == pytest.approx(0.5 * (1 - yh) ** 2, rel=1e-14)
    w2_11, w1_21 = net.parameter("W^2_{11}"), net.parameter("W1_21")
    assert w2_11.grad == pytest.approx(d_w2_11, rel=1e-12)
    assert w1_21.grad == pytest.approx(d_w1_21, rel=1e-12)
    assert round(w2_11.grad, 4) == round(w1_21.grad, 4) == -0.0925
    before = (w2_11.data, w1_21.data)
    SGD(net, lr=2.0).step()
    assert w2_11.data == before[0] - 2.0 * w2_11.grad  # θ ← θ − λ ∂ℓ/∂θ, exactly
    assert w1_21.data == before[1] - 2.0 * w1_21.grad
    assert round(w2_11.data, 4) == 1.185 and round(w1_21.data, 4) == -1.815


def test_seed002_gradient_matrices_match_numpy_formulas():
    net, _, _ = seed002()
    W1, W2 = np.array(W1_002, float), np.array(W2_002, float)
    x = np.array([1.0, 2.0, 5.0])  # the constant 1 first
    beta = 1 / (1 + np.exp(-(W1.T @ x)))
    beta_t = np.concatenate([[1.0], beta])
    y_hat = 1 / (1 + np.exp(-(W2.T @ beta_t)))
    delta2 = (y_hat - 1.0) * y_hat * (1 - y_hat)
    delta1 = (W2[1:] @ delta2) * beta * (1 - beta)
    grads = net.grads()
    assert list(grads) == ["W¹", "W²"]
    np.testing.assert_allclose(grads["W²"], np.outer(beta_t, delta2), rtol=1e-12)
    np.testing.assert_allclose(grads["W¹"], np.outer(x, delta1), rtol=1e-10, atol=1e-25)
    np.testing.assert_array_equal(net.weights()[0], W1)
    assert net.biases() == [None, None]


def test_seed002_gradcheck_over_the_whole_network():
    def loss_of(*ps):
        W1 = [list(ps[0:2]), list(ps[2:4]), list(ps[4:6])]
        W2 = [[ps[6]], [ps[7]], [ps[8]]]
        net = MLP.from_matrices([W1, W2], activations="sigmoid", convention="W^T x", notation="alpha-beta")
        return losses.squared_error(net([2, 5])[0], 1.0)

    point = [w for row in W1_002 for w in row] + [w for row in W2_002 for w in row]
    # α¹₂ = 24 saturates σ: keep the check where the numbers are well conditioned
    point[1], point[3], point[5] = 0.2, 0.1, 0.4
    report = gradcheck(loss_of, point)
    assert report.ok and len(report.checks) == 9


# ---------------------------------------------------------------------------------------------------
# Seed 001: z = Wx + b, h = relu(z) + sin(z), softmax output, cross-entropy, α = 0.001.

W1_001 = np.array([[0.1, -0.2, 0.3, 0.4], [0.5, -0.3, 0.1, -0.2], [0.4, 0.2, -0.5, 0.3]])
B1_001 = np.array([0.1, -0.1, 0.05])
W2_001 = np.array([[-0.3, 0.2, 0.1], [0.4, -0.5, 0.3]])
B2_001 = np.array([0.05, -0.05])
X_001 = np.array([1.0, -1.0, 0.5, 2.0])
Y_001 = np.array([0.0, 1.0])  # the sheet gives no target; class 2 is chosen here


def seed001():
    net = MLP.from_matrices([W1_001, W2_001], [B1_001, B2_001],
                            activations=[lambda z: z.relu() + z.sin(), "softmax"], notation="matrix-subscript")
    y_hat = net(X_001)
    loss = losses.cross_entropy_from_probabilities(y_hat, Y_001, label="Loss")
    loss.backward()
    return net, y_hat, loss


def numpy001():
    z1 = W1_001 @ X_001 + B1_001
    h = np.maximum(z1, 0) + np.sin(z1)
    z2 = W2_001 @ h + B2_001
    y_hat = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
    return z1, h, z2, y_hat


def test_seed001_forward_values_match_the_sheet_and_numpy():
    net, y_hat, loss = seed001()
    z1, h, z2, yh = numpy001()
    np.testing.assert_allclose(z1, [1.35, 0.35, 0.6], rtol=1e-12)  # the sheet's Z₁
    layer1, layer2 = net.layers
    np.testing.assert_allclose([v.data for v in layer1.last_pre], z1, rtol=1e-14)
    np.testing.assert_allclose([v.data for v in layer1.last_post], h, rtol=1e-14)
    # the sheet prints H = (2.325, 0.692, 1.164): the third is a slip for 1.1646 (and 1.64 later)
    assert abs(h[0] - 2.325) < 1e-3 and abs(h[1] - 0.692) < 1e-3 and round(h[2], 4) == 1.1646
    np.testing.assert_allclose([v.data for v in layer2.last_pre], z2, rtol=1e-13)
    np.testing.assert_allclose(z2, [-0.3927, 0.8832], atol=1e-4)
    np.testing.assert_allclose([v.data for v in y_hat], yh, rtol=1e-13)
    np.testing.assert_allclose(yh, [0.2181, 0.7819], atol=2e-4)  # the sheet, from its rounded H
    assert loss.data == pytest.approx(-math.log(yh[1]), rel=1e-13)


def test_seed001_names_follow_the_sheet():
    net, y_hat, loss = seed001()
    names = [name for name, _ in net.forward_values()]
    assert names == ["x₁", "x₂", "x₃", "x₄", "z⁽¹⁾₁", "h₁", "z⁽¹⁾₂", "h₂", "z⁽¹⁾₃", "h₃",
                     "z⁽²⁾₁", "ŷ₁", "z⁽²⁾₂", "ŷ₂"]
    assert list(net.matrices()) == ["W₁", "b₁", "W₂", "b₂"]
    assert net.parameter("(W_1)_{23}").data == 0.1 and net.parameter("(W₁)₁₂").data == -0.2 and net.parameter("(b₂)₁").data == 0.05
    assert loss.label == "Loss"


def test_seed001_gradients_match_the_delta_formulas():
    net, _, _ = seed001()
    z1, h, z2, y_hat = numpy001()
    delta2 = y_hat - Y_001
    delta1 = (W2_001.T @ delta2) * ((z1 > 0) + np.cos(z1))
    g = net.grads()
    np.testing.assert_allclose(g["W₂"], np.outer(delta2, h), rtol=1e-12)
    np.testing.assert_allclose(g["b₂"], delta2, rtol=1e-12)
    np.testing.assert_allclose(g["W₁"], np.outer(delta1, X_001), rtol=1e-12)
    np.testing.assert_allclose(g["b₁"], delta1, rtol=1e-12)


def test_seed001_one_sgd_step_is_the_sheets_update():
    net, _, _ = seed001()
    g = net.grads()
    SGD(net.parameters(), lr=0.001).step()
    for (name, new), old in zip(net.matrices().items(), [W1_001, B1_001, W2_001, B2_001]):
        np.testing.assert_array_equal(new, old - 0.001 * g[name])


def test_seed001_gradcheck_over_the_whole_network():
    def loss_of(*ps):
        it = iter(ps)
        take = lambda shape: [[next(it) for _ in range(shape[1])] for _ in range(shape[0])]  # noqa: E731
        W1, b1, W2, b2 = take((3, 4)), take((1, 3))[0], take((2, 3)), take((1, 2))[0]
        net = MLP.from_matrices([W1, W2], [b1, b2], activations=[lambda z: z.relu() + z.sin(), "softmax"])
        return losses.cross_entropy_from_probabilities(net(X_001), Y_001)

    point = list(W1_001.ravel()) + list(B1_001) + list(W2_001.ravel()) + list(B2_001)
    assert gradcheck(loss_of, point).ok


# ---------------------------------------------------------------------------------------------------
# Seed 000: no biases, a⁽²⁾ = W⁽²⁾a⁽¹⁾ (identity output), any loss; the three identities.

def test_seed000_identities_hold_for_random_sizes():
    rng = np.random.default_rng(0)
    for n, d, k in [(3, 4, 2), (5, 2, 3), (1, 1, 1)]:
        W1, W2 = rng.normal(size=(d, n)), rng.normal(size=(k, d))
        x, y = rng.normal(size=n), rng.normal(size=k)
        net = MLP.from_matrices([W1, W2], activations=["tanh", "identity"], notation="paren-layer")
        a2 = net(x)
        loss = losses.squared_error(a2, y)
        loss.backward()
        z1 = W1 @ x
        a1 = np.tanh(z1)
        beta2 = W2 @ a1 - y                        # ∇_{a⁽²⁾} ℓ for ℓ = ½‖a⁽²⁾ − y‖²
        beta1 = W2.T @ beta2
        g = net.grads()
        np.testing.assert_allclose(g["W⁽²⁾"], np.outer(beta2, a1), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(g["W⁽¹⁾"], np.outer(beta1 * (1 - a1 ** 2), x), rtol=1e-10, atol=1e-14)
        # the identity output keeps ONE node per unit, named a⁽²⁾ᵢ (identity_label="post")
        assert all(z is a for z, a in zip(net.layers[1].last_pre, net.layers[1].last_post))
        assert a2[0].label == ("a⁽²⁾" if k == 1 else "a⁽²⁾₁") and a2[0].op == "linear"


# ---------------------------------------------------------------------------------------------------
# Seed 003: relu layers, logistic loss C = Σ log(1 + exp(−y f)), y ∈ {−1, +1}, W_l of shape (m_l, n_l).

@pytest.mark.parametrize("L", [1, 2, 3])
def test_seed003_bias_gradient_formula(L):
    rng = np.random.default_rng(L)
    sizes = [3] + [4] * (L - 1) + [1]
    Ws = [rng.normal(size=(sizes[i + 1], sizes[i])) for i in range(L)]
    bs = [rng.normal(size=sizes[i + 1]) for i in range(L)]
    X, Y = rng.normal(size=(5, 3)), rng.choice([-1.0, 1.0], size=5)
    net = MLP.from_matrices(Ws, bs, activations=["relu"] * (L - 1) + ["identity"],
                            notation=SEED003_NOTATION)
    C = losses.logistic([net(x)[0] for x in X], list(Y), label="C")
    C.backward()
    expected = [np.zeros(m) for m in sizes[1:]]
    for x, y in zip(X, Y):
        zs, pres = [x], []
        for l in range(L):
            pre = Ws[l] @ zs[-1] + bs[l]
            pres.append(pre)
            zs.append(np.maximum(pre, 0) if l < L - 1 else pre)
        f = pres[-1][0]
        coef = -y / (1 + np.exp(y * f))
        for l in range(L):  # ∇_{b_l} C = coef · (Π_k W_{L−k} diag(pos(z_{L−k−1})))ᵀ
            prod = np.eye(1)
            for k in range(L - l - 1):
                prod = prod @ Ws[L - 1 - k] @ np.diag((pres[L - k - 2] > 0).astype(float))
            expected[l] += coef * prod.ravel()
    for l, layer in enumerate(net.layers):
        np.testing.assert_allclose(layer.bias_vector(grad=True), expected[l], rtol=1e-10, atol=1e-12)


def test_seed003_names():
    net = MLP.from_matrices([np.ones((2, 3)), np.ones((1, 2))], [np.zeros(2), np.zeros(1)],
                            activations=["relu", "identity"], notation=SEED003_NOTATION)
    f, = net([1.0, 2.0, 3.0])
    assert f.label == "f₂" and [v.label for v in net.layers[0].last_post] == ["(z₁)₁", "(z₁)₂"]
    assert list(net.matrices()) == ["W₁", "b₁", "W₂", "b₂"]
