"""Memory: graphs hold no reference cycles (refcounting frees them), training does not grow memory,
a node's size stays bounded, deep chains work, and pausing the cycle collector is scoped."""

import gc
import math
import tracemalloc

import numpy as np
import pytest

from autograd import Replay, Value, backward, gc_paused, linear, logsumexp, sum_values, topological_order
from autograd.slots import LEFT


def small_network(xs, params):
    """A little of everything: linear nodes, constants on both sides, reuse, logsumexp, powers."""
    w = params
    h1 = linear(w[0:2], xs, bias=w[2]).tanh()
    h2 = linear(w[3:5], xs, bias=0.5).relu()
    z = logsumexp([h1, h2 * 2.0, 1.0 - h1 * h1])
    return (z - 0.3) ** 2 + 1e-3 * sum_values([p * p for p in params])


def live_values() -> int:
    """How many Values exist: the cycle collector tracks every Value, freed ones drop out at once."""
    return sum(type(o) is Value for o in gc.get_objects())


@pytest.fixture
def collector_off():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_a_dropped_graph_is_freed_by_reference_counting_alone(collector_off):
    params = [Value(v) for v in (0.3, -0.2, 0.1, 0.5, -0.4)]
    xs = [Value(1.0), Value(-2.0)]
    loss = small_network(xs, params)
    loss.backward()
    inner = sum(1 for v in topological_order(loss) if v.parents)
    assert inner > 10
    before = live_values()
    del loss
    assert live_values() == before - inner  # every operation node went with the last reference
    assert gc.collect() == 0  # nothing was left for the cycle collector


def test_a_dropped_replay_and_its_graph_are_freed_by_reference_counting(collector_off):
    params = [Value(v) for v in (0.3, -0.2, 0.1, 0.5, -0.4)]
    xs = [Value(0.0, "x1"), Value(0.0, "x2")]
    loss = small_network(xs, params)
    rep = Replay(loss, inputs=xs)
    rep.forward(np.array([[1.0, 2.0], [0.5, -1.0]]))
    rep.backward(per_sample=True)
    inner = sum(1 for v in topological_order(loss) if v.parents)
    before, replays = live_values(), sum(type(o) is Replay for o in gc.get_objects())
    del loss, rep
    assert live_values() == before - inner
    assert sum(type(o) is Replay for o in gc.get_objects()) == replays - 1
    assert gc.collect() == 0


def test_training_steps_do_not_grow_memory(collector_off):
    rng = np.random.default_rng(0)
    params = [Value(float(v)) for v in rng.normal(size=5)]
    data = rng.normal(size=(8, 2)).tolist()

    def step():
        total = sum_values([small_network([Value(a), Value(b)], params) for a, b in data])
        for p in params:
            p.grad = 0.0
        total.backward()
        for p in params:
            p.data -= 0.01 * p.grad

    def settled():
        # The collector is off during the steps, so a cycle would pile up and be found here.
        # gc.collect() also empties CPython's free lists of tuples and floats, which tracemalloc
        # counts as allocated and which fill up slowly to their caps.
        assert gc.collect() == 0
        return tracemalloc.get_traced_memory()[0]

    # The warm-up is long because Python 3.10 keeps filling its caches (frame objects kept for reuse,
    # about 5 kB per 100 steps) for the first 200 steps; from then on every version stays flat.
    tracemalloc.start()
    try:
        for _ in range(250):
            step()
        after_warm_up = settled()
        for _ in range(300):
            step()
        after_300_more = settled()
    finally:
        tracemalloc.stop()
    grown = after_300_more - after_warm_up
    assert grown < 2048, f"memory grew by {grown} bytes over 300 steps (a leak of 7 bytes a step would show)"


def test_a_node_stays_small():
    xs = [Value(float(i)) for i in range(3000)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        nodes = [x * x for x in xs]  # a node, its float, its two tuples (the partials reuse floats)
        per_node = (tracemalloc.get_traced_memory()[0] - before - 8 * len(nodes)) / len(nodes)
    finally:
        tracemalloc.stop()
    # A 96-byte slotted object (8 slots, parents and partials flat in four of them) + its 24-byte
    # float; the partials of x*x are x's own float. A __dict__, a __weakref__, a tuple per node or
    # any other extra slot would push it over 130 bytes.
    assert per_node < 240, per_node
    assert per_node <= 130, per_node


def test_every_kind_of_node_is_one_object_for_the_cycle_collector():
    # ... for the nodes of one or two arguments: nothing it refers to but Values is tracked (no
    # tuples of parents or partials), so the collector has one object per node to look at.
    x, y = Value(2.0), Value(3.0)
    for v in [x * y, x + 1, 2 * x, -x, x.relu(), x ** 2, x / y, x - y, 1 - x, (x * y).tanh(), x.sigmoid()]:
        others = [r for r in gc.get_referents(v)
                  if gc.is_tracked(r) and not isinstance(r, (Value, type)) and r is not LEFT]  # LEFT: shared
        assert others == [], (v.op, others)


def test_the_issues_deep_chain_far_beyond_the_recursion_limit():
    # 250,000 steps (500,000 nodes) keeps this test short; test_engine runs a 10⁶-deep chain and
    # the benchmark this very chain to 10⁶. Nothing in the walks depends on depth.
    depth = 250_000
    x = Value(1.0)
    with gc_paused():
        v = x
        for _ in range(depth):
            v = v * 1.0001 + 0.0001
        v.backward()
    assert x.grad == pytest.approx(1.0001 ** depth, rel=1e-9)
    assert v.data == pytest.approx(1.0001 ** depth * (1 + 1) - 1, rel=1e-6)  # (x + 1)·qᴰ − 1


def test_gc_paused_is_scoped_nests_and_survives_exceptions():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block restores what it found: paused
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        with gc_paused():
            1 / 0
    assert gc.isenabled()


def test_graph_walks_leave_the_collector_as_they_found_it():
    x = Value(2.0)
    y = (x * x).exp()
    for state in (True, False):
        (gc.enable if state else gc.disable)()
        try:
            backward(y)
            topological_order(y)
            assert gc.isenabled() is state
        finally:
            gc.enable()
    assert x.grad == pytest.approx(2 * (2 * 2.0 * math.exp(4.0)), rel=1e-12)  # two backward calls


def test_walks_of_overlapping_graphs_do_not_see_each_others_marks():
    # The walks mark nodes in place; a later walk (of a part, then of the whole) must see every
    # node afresh and still place each after its inputs (the c = x*x; c + c*c case).
    x = Value(3.0)
    c = x * x
    part = c * c
    whole = c + part
    assert topological_order(part) == [x, c, part]
    assert topological_order(whole) == [x, c, part, whole]
    assert topological_order(part) == [x, c, part]
    whole.backward()
    assert x.grad == pytest.approx(2 * 3.0 + 4 * 3.0 ** 3)  # d/dx (x² + x⁴)
