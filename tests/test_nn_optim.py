"""SGD (plain, momentum, weight decay) and Adam against their update formulas written out by hand."""

import math

import pytest

from autograd import NonFiniteError, Value
from nn import MLP, SGD, Adam, losses


def params_with_grads(grads, data=None):
    ps = [Value(d, label=f"p{k}") for k, d in enumerate(data or [1.0] * len(grads))]
    for p, g in zip(ps, grads):
        p.grad = g
    return ps


def test_plain_sgd_step_is_theta_minus_lr_grad_exactly():
    ps = params_with_grads([0.3, -1.7, 1e-9], [0.1, 2.0, -3.0])
    SGD(ps, lr=0.001).step()
    assert [p.data for p in ps] == [0.1 - 0.001 * 0.3, 2.0 - 0.001 * -1.7, -3.0 - 0.001 * 1e-9]


def test_sgd_momentum_and_weight_decay_follow_the_formulas():
    p = params_with_grads([1.0], [2.0])[0]
    opt = SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01)
    v, theta = 0.0, 2.0
    for g in (1.0, -0.5, 0.25):
        p.grad = g
        opt.step()
        v = 0.9 * v + (g + 0.01 * theta)
        theta = theta - 0.1 * v
        assert p.data == pytest.approx(theta, rel=1e-15)


def test_adam_follows_the_bias_corrected_formula():
    p = params_with_grads([0.0], [0.5])[0]
    opt = Adam([p], lr=0.01)
    m = v = 0.0
    theta = 0.5
    for t, g in enumerate([0.2, -0.1, 0.4, 0.4], start=1):
        p.grad = g
        opt.step()
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        theta -= 0.01 * (m / (1 - 0.9 ** t)) / (math.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        assert p.data == pytest.approx(theta, rel=1e-14)
    # the first Adam step moves each parameter by about lr, whatever the gradient's size
    q = params_with_grads([1e-3], [0.0])[0]
    Adam([q], lr=0.01).step()
    assert q.data == pytest.approx(-0.01, rel=1e-3)


def test_optimizers_accept_a_module_and_zero_its_grads():
    net = MLP([2, 3, 1], seed=0)
    opt = SGD(net, lr=0.1)
    losses.squared_error(net([1.0, -1.0])[0], 1.0).backward()
    before = [p.data for p in net.parameters()]
    grads = [p.grad for p in net.parameters()]
    opt.step()
    assert [p.data for p in net.parameters()] == [b - 0.1 * g for b, g in zip(before, grads)]
    opt.zero_grad()
    assert all(p.grad == 0.0 for p in net.parameters())


def test_training_reduces_the_loss():
    net = MLP([2, 8, 1], activations=["tanh", "identity"], seed=3)
    data = [([0.0, 1.0], 1.0), ([1.0, 0.0], -1.0), ([1.0, 1.0], 0.5)]
    opt = Adam(net, lr=0.05)

    def total():
        return losses.mean([losses.squared_error(net(x)[0], y) for x, y in data])

    first = total().data
    for _ in range(40):
        opt.zero_grad()
        loss = total()
        loss.backward()
        opt.step()
    assert total().data < 0.1 * first


def test_bad_settings_and_divergence_are_reported():
    p = Value(1.0, label="w")
    with pytest.raises(ValueError, match="must be > 0"):
        SGD([p], lr=0)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        SGD([p], lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="at least one parameter"):
        Adam([])
    with pytest.raises(ValueError, match="not a parameter"):
        SGD([p * 2], lr=0.1)
    with pytest.raises(TypeError, match="betas"):
        Adam([p], betas=0.9)
    p.grad = 1e308
    with pytest.raises(NonFiniteError, match="w is -inf.*smaller learning rate"):
        SGD([p], lr=1e10).step()
