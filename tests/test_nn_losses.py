"""Every loss against its closed form and against central differences (autograd.gradcheck), at
ordinary points and at extreme logits (±1000), plus the errors bad targets get."""

import math
import random

import pytest

from autograd import DomainError, Value, gradcheck
from nn import losses


def closed_lse(zs):
    top = max(zs)
    return top + math.log(sum(math.exp(z - top) for z in zs))


def softplus(t):
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


# name -> (loss on Values, closed form on floats, sampler of (prediction point, target))
CASES = {
    "squared_error": (lambda p, y: losses.squared_error(p, y),
                      lambda p, y: 0.5 * sum((b - a) ** 2 for a, b in zip(p, y)),
                      lambda r: ([r.uniform(-3, 3) for _ in range(3)], [r.uniform(-3, 3) for _ in range(3)])),
    "mse": (lambda p, y: losses.mse(p, y),
            lambda p, y: sum((b - a) ** 2 for a, b in zip(p, y)) / len(p),
            lambda r: ([r.uniform(-3, 3) for _ in range(4)], [r.uniform(-3, 3) for _ in range(4)])),
    "cross_entropy_index": (lambda z, c: losses.cross_entropy(z, c),
                            lambda z, c: closed_lse(z) - z[c],
                            lambda r: ([r.uniform(-5, 5) for _ in range(4)], r.randrange(4))),
    "cross_entropy_soft": (lambda z, y: losses.cross_entropy(z, y),
                           lambda z, y: -sum(t * (a - closed_lse(z)) for a, t in zip(z, y)),
                           lambda r: ([r.uniform(-5, 5) for _ in range(3)], [0.2, 0.5, 0.3])),
    "cross_entropy_from_probabilities": (
        lambda p, y: losses.cross_entropy_from_probabilities(p, y),
        lambda p, y: -sum(t * math.log(a) for a, t in zip(p, y) if t),
        lambda r: ([r.uniform(0.05, 0.95) for _ in range(3)], [0.0, 1.0, 0.0])),
    "binary_cross_entropy": (lambda p, y: losses.binary_cross_entropy(p, y),
                             lambda p, y: -sum(t * math.log(a) + (1 - t) * math.log(1 - a) for a, t in zip(p, y)),
                             lambda r: ([r.uniform(0.05, 0.95) for _ in range(3)], [1.0, 0.0, 0.3])),
    "binary_cross_entropy_with_logits": (
        lambda f, y: losses.binary_cross_entropy_with_logits(f, y),
        lambda f, y: -sum(t * math.log(1 / (1 + math.exp(-a))) + (1 - t) * math.log(1 - 1 / (1 + math.exp(-a)))
                          for a, t in zip(f, y)),
        lambda r: ([r.uniform(-4, 4) for _ in range(3)], [1.0, 0.0, 0.3])),
    "logistic": (lambda f, y: losses.logistic(f, y),
                 lambda f, y: sum(math.log(1 + math.exp(-t * a)) for a, t in zip(f, y)),
                 lambda r: ([r.uniform(-4, 4) for _ in range(3)], [1.0, -1.0, 1.0])),
    "hinge": (lambda f, y: losses.hinge(f, y),
              lambda f, y: sum(max(0.0, 1 - t * a) for a, t in zip(f, y)),
              lambda r: ([r.choice([-2.5, -0.4, 0.3, 1.7]) + r.uniform(-0.05, 0.05) for _ in range(3)],
                         [1.0, -1.0, 1.0])),
    "multiclass_hinge": (lambda s, c: losses.multiclass_hinge(s, c),
                         lambda s, c: sum(max(0.0, 1 + b - s[c]) for j, b in enumerate(s) if j != c),
                         lambda r: ([r.uniform(-2, 2) for _ in range(4)], 2)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_matches_closed_form_and_central_differences(name):
    loss_fn, closed, sample = CASES[name]
    rng = random.Random(name)
    for _ in range(5):
        point, target = sample(rng)
        if name == "hinge" and any(abs(1 - t * a) < 0.02 for a, t in zip(point, target)):
            continue  # away from the kink
        if name == "multiclass_hinge" and any(abs(1 + b - point[target]) < 0.02 for b in point):
            continue
        out = loss_fn([Value(p) for p in point], target)
        assert out.label == "ℓ"
        assert out.data == pytest.approx(closed(point, target), rel=1e-12, abs=1e-12)
        report = gradcheck(lambda *vs: loss_fn(list(vs), target), point)
        assert report.ok


@pytest.mark.parametrize("logits,target", [([1000.0, -1000.0], 1), ([-1000.0, 1000.0, 0.0], 0),
                                           ([1000.0, 1000.0], [0.5, 0.5])])
def test_cross_entropy_from_logits_is_finite_at_1000(logits, target):
    zs = [Value(z) for z in logits]
    loss = losses.cross_entropy(zs, target)
    loss.backward()
    y = [1.0 if i == target else 0.0 for i in range(len(logits))] if isinstance(target, int) else target
    expected = closed_lse(logits) - sum(t * z for t, z in zip(y, logits))
    assert loss.data == pytest.approx(expected, rel=1e-12)
    top = max(logits)
    p = [math.exp(z - top) for z in logits]
    p = [v / sum(p) for v in p]
    for z, pi, yi in zip(zs, p, y):  # ∂ℓ/∂zᵢ = softmax(z)ᵢ − yᵢ
        assert math.isfinite(z.grad) and z.grad == pytest.approx(pi - yi, abs=1e-12)
    assert gradcheck(lambda *vs: losses.cross_entropy(list(vs), target), logits).ok


@pytest.mark.parametrize("f", [1000.0, -1000.0, 0.0, 35.5])
@pytest.mark.parametrize("y", [1.0, -1.0])
def test_logistic_loss_is_stable_for_large_scores(f, y):
    v = Value(f)
    loss = losses.logistic(v, y)
    loss.backward()
    assert loss.data == pytest.approx(softplus(-y * f), rel=1e-12, abs=1e-300)
    expected_grad = -y / (1 + math.exp(y * f)) if y * f < 700 else -y * math.exp(-y * f)
    assert math.isfinite(v.grad) and v.grad == pytest.approx(expected_grad, rel=1e-12, abs=1e-300)
    assert gradcheck(lambda t: losses.logistic(t, y), [f]).ok


@pytest.mark.parametrize("f", [1000.0, -1000.0])
@pytest.mark.parametrize("y", [1.0, 0.0, 0.25])
def test_binary_cross_entropy_with_logits_is_stable(f, y):
    v = Value(f)
    loss = losses.binary_cross_entropy_with_logits(v, y)
    loss.backward()
    assert loss.data == pytest.approx((1 - y) * f + softplus(-f), rel=1e-12, abs=1e-300)
    sig = 1.0 if f > 0 else 0.0
    assert v.grad == pytest.approx(sig - y, abs=1e-12)
    assert gradcheck(lambda t: losses.binary_cross_entropy_with_logits(t, y), [f]).ok


def test_softmax_at_extreme_logits_is_finite_and_sums_to_one():
    zs = [Value(1000.0), Value(-1000.0), Value(999.0)]
    p = losses.softmax(zs)
    assert sum(v.data for v in p) == pytest.approx(1.0)
    assert p[1].data == 0.0 and p[0].data == pytest.approx(1 / (1 + math.exp(-1)))
    p[0].backward()
    assert all(math.isfinite(z.grad) for z in zs)


def test_probability_losses_refuse_a_saturated_probability_with_the_fix():
    with pytest.raises(DomainError, match="cross_entropy"):
        losses.cross_entropy_from_probabilities([Value(1.0), Value(0.0)], 1)
    with pytest.raises(DomainError, match="binary_cross_entropy_with_logits"):
        losses.binary_cross_entropy(Value(1.0), 0.0)
    with pytest.raises(ValueError, match="not a probability"):
        losses.binary_cross_entropy(Value(3.0), 1.0)
    # a probability of exactly 1 is fine where only log p is needed
    assert losses.binary_cross_entropy(Value(1.0), 1.0).data == 0.0


def test_target_errors_are_clear():
    with pytest.raises(ValueError, match="y ∈ {−1, \\+1}.*2y − 1"):
        losses.logistic(Value(0.3), 0.0)
    with pytest.raises(ValueError, match="out of range for 3 classes"):
        losses.cross_entropy([Value(0.0)] * 3, 3)
    with pytest.raises(ValueError, match="3 classes but the target has 2"):
        losses.cross_entropy([Value(0.0)] * 3, [0.0, 1.0])
    with pytest.raises(ValueError, match="one target per output"):
        losses.squared_error([Value(0.0), Value(1.0)], [1.0])
    with pytest.raises(TypeError, match="bool"):
        losses.squared_error(Value(0.0), True)


def test_a_named_target_leaf_takes_part_in_the_graph():
    y, y_hat = Value(1.0, label="y"), Value(0.25, label="ŷ")
    loss = losses.squared_error(y_hat, y)
    loss.backward()
    assert y_hat.grad == -(1.0 - 0.25) and y.grad == 0.75


def test_l2_and_mean():
    ps = [Value(1.0), Value(-2.0), Value(0.5)]
    reg = losses.l2(ps, 0.1)
    reg.backward()
    assert reg.data == pytest.approx(0.05 * (1 + 4 + 0.25))
    assert [p.grad for p in ps] == pytest.approx([0.1, -0.2, 0.05])
    assert losses.l2(ps, 0.1, half=False).data == pytest.approx(0.1 * 5.25)
    with pytest.raises(ValueError, match="≥ 0"):
        losses.l2(ps, -1)
    a, b = Value(2.0, label="a"), Value(4.0, label="b")
    m = losses.mean([a, b])
    assert m.data == 3.0 and m.label == "ℓ" and a.label == "a"
    single = losses.mean([a])
    assert single is not a and a.label == "a"  # the user's node is never renamed
