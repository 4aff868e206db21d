"""How Replay runs a graph: layers as matrix products, elementwise steps over whole blocks, sums as
reductions, chunks for large batches with a progress line on a terminal. Every result is checked
against the scalar engine (or against the same Replay run in one piece); nothing here is timed."""

import io
import math
import tracemalloc

import numpy as np
import pytest

from autograd import DomainError, Replay, Value, linear, logsumexp, ops, sum_values
from autograd.replay import NUMPY, TOTAL_RULES
from autograd.replay.steps import AffineStep, ElementwiseStep, SumStep


def mlp(sizes, seed=0, convention="Wx+b", shared=False):
    """An MLP on Values, one `linear` node per unit; returns (loss builder, parameters)."""
    rng = np.random.default_rng(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = [[Value(float(rng.uniform(-1, 1)), f"W{len(layers)}{i}{j}") for j in range(n_in)] for i in range(n_out)]
        b = [Value(float(rng.normal() * 0.1), f"b{len(layers)}{i}") for i in range(n_out)]
        layers.append((W, b))
    if shared:  # one weight used twice in a unit: its gradient is the sum of both uses
        W, _ = layers[0]
        W[0][1] = W[0][0]
    params = []
    for W, b in layers:
        for row in W:
            params += [w for w in row if all(w is not p for p in params)]
        params += b

    def build(xs, y):
        h = list(xs)
        for k, (W, b) in enumerate(layers):
            if convention == "Wx+b":
                z = [linear(row, h, bias) for row, bias in zip(W, b)]
            else:  # the bias as a weight of a constant input 1, inputs first
                z = [linear([1.0] + h, [bias] + row) for row, bias in zip(W, b)]
            h = [zi.relu() for zi in z] if k < len(layers) - 1 else z
        hinge = (1.0 - y * h[0]).relu()
        return hinge * 0.5 + 1e-3 * sum_values([p * p for p in params])

    return build, params


def scalar(build, params, batch):
    outs, grads, xgrads = [], [], []
    for row in batch:
        xs = [Value(float(v)) for v in row[:-1]]
        y = Value(float(row[-1]))
        for p in params:
            p.grad = 0.0
        root = build(xs, y)
        root.backward()
        outs.append(root.data)
        grads.append([p.grad for p in params])
        xgrads.append([x.grad for x in xs] + [y.grad])
    for p in params:
        p.grad = 0.0
    return np.array(outs), np.array(grads), np.array(xgrads)


def batch_of(n, k, seed=1):
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.normal(size=(n, k)), rng.choice([-1.0, 1.0], size=n)])


def replay_of(build, n_inputs):
    xs = [Value(0.0, f"x{j}") for j in range(n_inputs)]
    y = Value(1.0, "y")
    return Replay(build(xs, y), inputs=xs + [y])


@pytest.mark.parametrize("convention, shared", [("Wx+b", False), ("bias row", False), ("Wx+b", True)])
def test_layers_replay_as_matrix_products_and_equal_the_scalar_engine(convention, shared):
    build, params = mlp([3, 5, 4, 1], convention=convention, shared=shared)
    rep = replay_of(build, 3)
    kinds = [type(s) for s in rep._program.steps]
    assert kinds.count(AffineStep) == 3  # one step per layer, whatever its width
    batch = batch_of(9, 3)
    out, grads, xgrads = scalar(build, params, batch)
    order = [rep.parameters.index(p) for p in params]
    np.testing.assert_allclose(rep.forward(batch), out, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(rep.backward(per_sample=True)[:, order], grads, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(rep.input_gradients(), xgrads, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(rep.backward()[order], grads.sum(axis=0), rtol=1e-10, atol=1e-13)
    w = np.linspace(0.5, 2.0, len(batch))
    np.testing.assert_allclose(rep.backward(weights=w)[order], w @ grads, rtol=1e-10, atol=1e-13)


def test_the_number_of_steps_does_not_grow_with_the_width_of_a_layer():
    steps = []
    for width in (2, 8, 32):
        build, _ = mlp([2, width, width, 1])
        rep = replay_of(build, 2)
        steps.append(len(rep._program.steps))
        squares = [s for s in rep._program.steps if isinstance(s, ElementwiseStep) and s.rule.name == "mul"
                   and len(s.nodes) > 1]
        assert len(squares) == 1 and len(squares[0].nodes) == len(rep.parameters)  # the L2 term: one step
        assert sum(isinstance(s, SumStep) for s in rep._program.steps) == 1
    assert steps[0] == steps[1] == steps[2]


def test_linear_with_the_halves_swapped_is_still_a_layer():
    xs = [Value(0.0, "x1"), Value(0.0, "x2")]
    W = [[Value(0.5), Value(-1.0)], [Value(2.0), Value(0.25)]]
    root = sum_values([linear(xs, row).tanh() for row in W])  # inputs first, weights second
    rep = Replay(root, inputs=xs)
    assert any(isinstance(s, AffineStep) for s in rep._program.steps)
    batch = np.array([[0.3, -0.7], [1.5, 0.2]])
    got = rep.forward(batch)
    per = rep.backward(per_sample=True)
    for i, (a, b) in enumerate(batch):
        x1, x2 = Value(a), Value(b)
        for row in W:
            for w in row:
                w.grad = 0.0
        r = sum_values([linear([x1, x2], row).tanh() for row in W])
        r.backward()
        assert got[i] == pytest.approx(r.data, rel=1e-12)
        by_param = {id(w): w.grad for row in W for w in row}
        assert per[i].tolist() == pytest.approx([by_param[id(p)] for p in rep.parameters], rel=1e-10)


def test_a_large_batch_runs_in_chunks_with_the_same_results():
    build, params = mlp([2, 6, 1])
    rep = replay_of(build, 2)
    batch = batch_of(5000, 2)
    whole = rep.forward(batch)
    summed, per = rep.backward(), rep.backward(per_sample=True)
    inputs = rep.input_gradients()
    node = rep.root.parents[0]
    values = rep.values_of(node)
    chunked = rep.forward(batch, chunk_size=700, progress=False)
    np.testing.assert_allclose(chunked, whole, rtol=1e-13)
    np.testing.assert_allclose(rep.backward(), summed, rtol=1e-10)
    np.testing.assert_allclose(rep.backward(per_sample=True), per, rtol=1e-12)
    np.testing.assert_allclose(rep.input_gradients(), inputs, rtol=1e-12)
    np.testing.assert_allclose(rep.values_of(node), values, rtol=1e-13)
    for p in params:
        p.grad = 0.0
    rep.backward(accumulate=True)
    assert [p.grad for p in rep.parameters] == pytest.approx(summed.tolist(), rel=1e-10)


def test_a_large_batch_keeps_memory_bounded():
    build, _ = mlp([2, 16, 16, 1])
    rep = replay_of(build, 2)
    n = 200_000
    batch = batch_of(n, 2)
    tracemalloc.start()
    try:
        rep.forward(batch, chunk_size=4096, progress=False)
        rep.backward()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # One chunk's intermediate arrays (about 100 rows of 4096 numbers) and the outputs (the root's
    # values, the input gradients: 4 numbers a sample); run in one piece it would be ~50× more.
    assert peak < 8 * n * 8 + 100 * 4096 * 8 * 4, peak


def test_progress_shows_on_a_terminal_only():
    build, _ = mlp([2, 3, 1])
    rep = replay_of(build, 2)
    batch = batch_of(3000, 2)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    import sys
    saved = sys.stderr
    try:
        sys.stderr = Terminal()
        rep.forward(batch, chunk_size=1000)
        rep.backward()
        shown = sys.stderr.getvalue()
        sys.stderr = io.StringIO()  # not a terminal: nothing, unless asked for
        rep.forward(batch, chunk_size=1000)
        rep.backward()
        hidden = sys.stderr.getvalue()
        rep.forward(batch, chunk_size=1000, progress=True)
        forced = sys.stderr.getvalue()
    finally:
        sys.stderr = saved
    assert "Replay forward: 3,000/3,000 samples (100%)" in shown and "Replay backward" in shown
    assert shown.count("\n") == 2 and hidden == "" and "Replay forward" in forced
    rep.forward(batch)  # one chunk: no progress line at all
    with pytest.raises(ValueError, match="chunk_size"):
        rep.forward(batch, chunk_size=0)


def test_a_domain_error_in_a_later_chunk_names_the_sample_in_the_whole_batch():
    x = Value(3.0, "x")
    rep = Replay((x - 1.0).log(), inputs=[x])
    batch = np.full(2500, 3.0)
    batch[2345] = 0.5
    with pytest.raises(DomainError, match="sample 2345 of the batch"):
        rep.forward(batch, chunk_size=1000, progress=False)
    with pytest.raises(RuntimeError, match="forward"):
        rep.backward()  # the failed forward left nothing to differentiate


@pytest.mark.parametrize("name", sorted(TOTAL_RULES))
def test_rules_replayed_without_a_check_are_finite_wherever_their_argument_is(name):
    rule = ops.RULES[name]
    xs = np.array([[-1.7976931348623157e308, -1e300, -1000.0, -710.0, -1.0, -1e-308, -0.0, 0.0, 1e-308,
                    1.0, 710.0, 1000.0, 1e300, 1.7976931348623157e308]])
    args = (xs,) if rule.arity == 1 else (xs, xs.T)  # a rule of two: every pair of the extremes
    with np.errstate(all="ignore"):
        out = rule.forward(NUMPY, *args)
        partials = [rule.constant_partials[k] if rule.constant_partials else rule.partials[k](NUMPY, out, *args)
                    for k in range(len(args))]
    assert np.isfinite(out).all() and all(np.isfinite(p).all() for p in partials)
    for x in xs[0]:  # the scalar engine agrees that these are finite
        assert math.isfinite(rule.forward(ops.SCALAR, *[float(x)] * len(args)))


def test_a_node_of_many_arguments_replays_in_time_linear_in_them():
    # logsumexp over 3000 inputs: its partials are 3000 arrays; telling which of them are
    # arguments must not compare every partial with every argument (9·10⁶ comparisons).
    xs = [Value(0.0, f"x{k}") for k in range(3000)]
    rep = Replay(logsumexp(xs), inputs=xs)
    batch = np.random.default_rng(0).normal(size=(4, 3000))
    out = rep.forward(batch)
    np.testing.assert_allclose(out, np.log(np.exp(batch).sum(axis=1)), rtol=1e-12)
    rep.backward()
    grads = rep.input_gradients()
    np.testing.assert_allclose(grads, np.exp(batch) / np.exp(batch).sum(axis=1, keepdims=True), rtol=1e-10)
