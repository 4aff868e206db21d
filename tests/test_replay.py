"""Batched replay against the scalar engine: random graphs over every rule, the seed-002 network,
a deep chain, per-sample and summed gradients, sample-indexed domain errors, and bad input."""

import math
import os
import random
import sys

import numpy as np
import pytest

from autograd import (DomainError, Replay, Value, gc_paused, linear, logsumexp, maximum, minimum, ops, softmax,
                      sum_values)
from autograd.replay import NUMPY

# Each entry builds one node from already-built nodes, staying inside every rule's domain whatever
# the operands (bounded arguments for exp, positive ones for log, sqrt, division and powers).
SAFE = {
    "add": lambda r, a, b: a + b,
    "sub": lambda r, a, b: (2.5 - a) if r.random() < 0.3 else a - b,
    "mul": lambda r, a, b: (a * -1.5) if r.random() < 0.3 else a * b,
    "div": lambda r, a, b: a / (1.0 + b.sigmoid()),
    "pow": lambda r, a, b: (a.tanh() ** 2 if r.random() < 0.5 else (a.sigmoid() + 0.5) ** b.tanh()),
    "neg": lambda r, a, b: -a,
    "exp": lambda r, a, b: a.tanh().exp(),
    "log": lambda r, a, b: (a.softplus() + 0.1).log(),
    "sqrt": lambda r, a, b: (a * a + 0.5).sqrt(),
    "tanh": lambda r, a, b: a.tanh(),
    "sigmoid": lambda r, a, b: a.sigmoid(),
    "relu": lambda r, a, b: a.relu(),
    "sin": lambda r, a, b: a.sin(),
    "cos": lambda r, a, b: a.cos(),
    "abs": lambda r, a, b: abs(a),
    # a and b are often the same node: max(a, a) is a tie on every sample, ½ + ½ of the gradient
    "max": lambda r, a, b: maximum(a, b) if r.random() < 0.7 else maximum(0.1, a),
    "min": lambda r, a, b: minimum(a, b) if r.random() < 0.7 else minimum(a, -0.1),
    "softplus": lambda r, a, b: a.softplus(),
    "sum": lambda r, a, b: sum_values([a, b, 0.25, a]),
    "linear": lambda r, a, b: linear([a, b], [b, 0.5], bias=a if r.random() < 0.5 else -0.75),
    "logsumexp": lambda r, a, b: logsumexp([a.tanh(), b.tanh(), 0.3]),
    "softmax": lambda r, a, b: softmax([a, b.tanh(), 0.3])[r.randrange(3)],
}


def test_every_rule_is_exercised_by_the_random_graphs():
    assert set(SAFE) == set(ops.RULES)


def random_graph(seed, xs, ps, size=25):
    """The same random graph each time for a seed, over inputs xs and parameters ps."""
    r = random.Random(seed)
    pool = list(xs) + list(ps)
    names = sorted(SAFE)
    for _ in range(size):
        a, b = r.choice(pool), r.choice(pool)
        pool.append(SAFE[r.choice(names)](r, a, b))
    return sum_values(pool[-4:]) + pool[-5] * pool[len(xs)]  # several outputs feed the root


def scalar_reference(build, batch, ps):
    """Per-sample root values, parameter gradients and input gradients from the scalar engine."""
    outs, pgrads, xgrads = [], [], []
    for row in batch:
        xs = [Value(float(v)) for v in row]
        for p in ps:
            p.grad = 0.0
        root = build(xs, ps)
        root.backward()
        outs.append(root.data)
        pgrads.append([p.grad for p in ps])
        xgrads.append([x.grad for x in xs])
    for p in ps:
        p.grad = 0.0
    return np.array(outs), np.array(pgrads), np.array(xgrads)


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_equal_the_scalar_engine(seed):
    rng = np.random.default_rng(seed)
    ps = [Value(float(v), label=f"p{i}") for i, v in enumerate(rng.normal(size=3))]
    batch = rng.normal(size=(7, 2))
    xs = [Value(0.0, "x1"), Value(0.0, "x2")]
    rep = Replay(random_graph(seed, xs, ps), inputs=xs)
    out, pgrad, xgrad = scalar_reference(lambda x, p: random_graph(seed, x, p), batch, ps)
    used = [ps.index(p) for p in rep.parameters]  # the graph may not use every parameter

    got = rep.forward(batch)
    np.testing.assert_allclose(got, out, rtol=1e-12, atol=1e-14)
    per = rep.backward(per_sample=True)
    np.testing.assert_allclose(per, pgrad[:, used], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(rep.input_gradients(), xgrad, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(rep.backward(), pgrad[:, used].sum(axis=0), rtol=1e-10, atol=1e-12)
    weights = rng.uniform(0.5, 2.0, size=len(batch))
    np.testing.assert_allclose(rep.backward(weights=weights), weights @ pgrad[:, used], rtol=1e-10, atol=1e-12)


def test_parameters_are_read_again_at_every_forward():
    w, x = Value(2.0, "w"), Value(0.0, "x")
    rep = Replay((w * x).tanh(), inputs=["x"])
    assert rep.parameters == (w,) and rep.inputs == (x,)
    before = rep.forward([0.5])
    w.data = -1.0
    assert rep.forward([0.5])[0] == pytest.approx(math.tanh(-0.5)) and before[0] == pytest.approx(math.tanh(1.0))


def seed_002(x1, x2, y, label_params=True):
    """Seed 002's 2-2-1 sigmoid network, bias as the first row of W¹ (computing Wᵀx), ℓ = ½(y − ŷ)²."""
    W1 = [[-1.0, 2.0], [-2.0, 1.0], [1.0, 4.0]]
    W2 = [1.0, 2.0, -4.0]
    w1 = [[Value(W1[i][j], f"W^1_{{{i + 1}{j + 1}}}") for j in range(2)] for i in range(3)]
    w2 = [Value(W2[i], f"W^2_{{{i + 1}1}}") for i in range(3)]
    betas = [linear([w1[1][j], w1[2][j]], [x1, x2], bias=w1[0][j], label=f"alpha^1_{j + 1}").sigmoid()
             for j in range(2)]
    y_hat = linear(w2[1:], betas, bias=w2[0], label="alpha^2").sigmoid().named("y_hat")
    loss = (0.5 * (y - y_hat) ** 2).named("ell")
    return loss, [w for row in w1 for w in row] + w2, y_hat


def test_seed_002_network_equals_the_scalar_engine():
    x1, x2, y = Value(2.0, "x_1"), Value(5.0, "x_2"), Value(1.0, "y")
    loss, params, y_hat = seed_002(x1, x2, y)
    loss.backward()
    by_label = {p.label: p.grad for p in params}
    # The sheet's own numbers: ŷ = σ(1 + 2·σ(0) − 4·σ(24)) ≈ σ(−2)
    assert y_hat.data == pytest.approx(1 / (1 + math.exp(-(2.0 - 4.0 / (1 + math.exp(-24))))), rel=1e-12)
    rep = Replay(loss, inputs=[x1, x2, y])
    batch = np.array([[2.0, 5.0, 1.0], [1.0, -1.0, 0.0], [-3.0, 0.5, 1.0], [0.0, 0.0, 0.0]])
    out = rep.forward(batch)
    assert out[0] == loss.data
    assert rep.values_of(y_hat)[0] == y_hat.data
    per = rep.backward(per_sample=True)
    assert per[0].tolist() == pytest.approx([by_label[p.label] for p in rep.parameters], rel=1e-12)
    for i, row in enumerate(batch):
        ref_loss, ref_params, _ = seed_002(*(Value(v) for v in row))
        ref_loss.backward()
        assert out[i] == pytest.approx(ref_loss.data, rel=1e-12)
        ref = {p.label: p.grad for p in ref_params}
        assert per[i].tolist() == pytest.approx([ref[p.label] for p in rep.parameters], rel=1e-10, abs=1e-15)


def test_accumulate_adds_summed_gradients_into_grad_like_backward():
    x, w = Value(0.0, "x"), Value(3.0, "w")
    rep = Replay(w * x * x, inputs=[x])
    rep.forward([1.0, 2.0])
    rep.backward(accumulate=True)
    rep.backward(accumulate=True)
    assert w.grad == 2 * (1.0 + 4.0)


def test_a_deep_chain_replays_iteratively():
    depth = 20_000  # 20× the default recursion limit: every walk in Replay is a loop
    x = Value(1.0, "x")
    with gc_paused():
        v = x
        for _ in range(depth):
            v = v * 1.0001 + 0.0001
        rep = Replay(v, inputs=[x])
        out = rep.forward([1.0, 2.0])
        rep.backward()
        grads = rep.input_gradients()[:, 0]
    assert out[0] == v.data
    assert grads.tolist() == pytest.approx([1.0001 ** depth] * 2, rel=1e-9)


def test_parts_that_no_input_reaches_are_computed_once_as_numbers():
    x, w = Value(0.0, "x"), Value(2.0, "w")
    reg = (w * w).named("reg")
    rep = Replay(x * w + reg, inputs=[x])
    rep.forward([1.0, 2.0, 3.0])
    assert rep.values_of(reg).tolist() == [4.0, 4.0, 4.0]
    assert rep.backward().tolist() == [(1 + 2 + 3) + 3 * 2 * 2.0]
    assert rep.backward(per_sample=True)[:, 0].tolist() == [5.0, 6.0, 7.0]


def test_domain_errors_name_the_operation_and_the_sample():
    x = Value(3.0, "x")
    rep = Replay((x - 1.0).log(), inputs=[x])
    with pytest.raises(DomainError) as info:
        rep.forward([3.0, 2.0, 0.5, 1.0])
    text = str(info.value)
    assert "log" in text and "sample 2" in text and "-0.5" in text and "log needs x > 0" in text
    y = Value(1.0, "y")
    rep = Replay(y.sqrt(), inputs=[y])
    with pytest.raises(DomainError, match="sample 1.*derivative"):
        rep.forward([4.0, 0.0])
    w = Value(1.0, "w")
    rep = Replay(x / w, inputs=[x])  # w is a parameter: the same for every sample
    w.data = 0.0
    with pytest.raises(DomainError, match="divisor must not be 0"):
        rep.forward([1.0])


def test_bad_inputs_and_batches_are_refused_with_the_fix():
    x, w = Value(1.0, "x"), Value(2.0, "w")
    z = x * w
    y = z.tanh()
    with pytest.raises(ValueError, match="not a leaf"):
        Replay(y, inputs=[z])
    unused = Value(0.0, "unused")  # accepted: its column is ignored and its gradient is 0
    rep = Replay(y, inputs=[x, unused])
    rep.forward([[0.5, 7.0], [1.0, 8.0]])
    rep.backward()
    assert rep.input_gradients()[:, 1].tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="names 0 leaves"):
        Replay(y, inputs=["q"])
    with pytest.raises(ValueError, match="twice"):
        Replay(y, inputs=[x, x])
    with pytest.raises(TypeError, match="Value"):
        Replay(1.0, inputs=[])
    rep = Replay(y, inputs=[x])
    with pytest.raises(RuntimeError, match="forward"):
        rep.backward()
    with pytest.raises(ValueError, match=r"shape \(samples, 1\)"):
        rep.forward(np.ones((3, 2)))
    with pytest.raises(ValueError, match="finite"):
        rep.forward([1.0, math.nan])
    rep.forward({"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="one number per sample"):
        rep.backward(weights=[1.0])


def test_numpy_namespace_matches_the_scalar_one():
    xs = np.array([-800.0, -3.0, -0.5, 0.0, 0.5, 3.0, 800.0])
    for name in ("sigmoid", "softplus", "relu", "step", "sign", "tanh", "sin", "cos", "fabs"):
        got = getattr(NUMPY, name)(xs)
        want = [getattr(ops.SCALAR, name)(float(v)) for v in xs]
        np.testing.assert_allclose(got, want, rtol=1e-15, atol=0, err_msg=name)
    parts = [np.array([1.0, 1000.0]), np.array([2.0, -1000.0]), 0.5]
    want = [ops.SCALAR.logsumexp([1.0, 2.0, 0.5]), ops.SCALAR.logsumexp([1000.0, -1000.0, 0.5])]
    np.testing.assert_allclose(NUMPY.logsumexp(parts), want, rtol=1e-15)
    assert NUMPY.sum([np.array([1.0, 2.0]), 3.0]).tolist() == [4.0, 5.0]
    assert NUMPY.is_integer(np.array([1.0, 1.5])).tolist() == [True, False]


def test_the_benchmark_mlp_step_agrees_across_floats_scalar_engine_and_replay():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        from benchmarks import networks as N
        from benchmarks import workloads as W
    finally:
        sys.path.pop(0)
    X, Y = W.two_moons(20)
    weights = W.initial_weights()
    floor, scalar, binary = N.FloorMLP(weights), N.ChainruleMLP(weights), N.ChainruleMLP(weights, "binary")
    replay = N.ReplayMLP(weights, len(X))
    XY = np.column_stack([X, Y])
    for k in range(3):
        expected = floor.step(X.tolist(), Y.tolist(), W.learning_rate(k))
        assert scalar.step(X.tolist(), Y.tolist(), W.learning_rate(k)) == pytest.approx(expected, rel=1e-12)
        assert binary.step(X.tolist(), Y.tolist(), W.learning_rate(k)) == pytest.approx(expected, rel=1e-12)
        assert replay.step(XY, W.learning_rate(k)) == pytest.approx(expected, rel=1e-12)
    assert [p.data for p in replay.parameters()] == pytest.approx(floor.parameters(), rel=1e-10)
