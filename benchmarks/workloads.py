"""The benchmark workloads, written once so that every engine runs the same source text.

- wide: N independent small expressions over three leaves each,
  ``((a·b + c).relu() − 2·a)² + c / (b·b + 1.0)`` (ten operations: three multiplications, three
  additions, a relu, a subtraction, a power and a division, with integer and float constants as
  micrograd-style code writes them), then summed by a balanced tree of N − 1 binary additions, so
  that one ``backward()`` runs over the whole wide graph. One "op" is one operator as written in
  the source (11N − 1 in all), whatever the engine makes of it (micrograd turns ``a − b`` into
  ``a + b·(−1)`` and ``a / b`` into ``a·b⁻¹``: two nodes for one op). Forward (building the graph)
  and backward are timed separately.
- MLP step: MLP(2, [16, 16, 1]), relu hidden layers, micrograd's demo loss (SVM max-margin hinge,
  mean over the batch, plus 1e-4·Σp² L2), 100 two-moons points, one full-batch forward, backward
  and SGD update. Every engine starts from the same weights; `run.py` checks that the losses agree.
  "micrograd-style code" is micrograd's own ``nn`` module for micrograd and the same classes,
  written against chainrule's `Value`, for chainrule (`MicrogradStyleMLP`); ``nn.MLP`` is
  chainrule's network class (one ``linear`` node per unit) with the same loss.
- replay: forward + backward (no update) of the same MLP and loss on the 100 points, by a `Replay`
  of one sample's graph and by the network written by hand in numpy (`NumpyMLP`), gradients checked
  equal. The networks of these two workloads, one per engine, are in networks.py.
- deep: a chain of D operations, x → x·1.0001 → … + 0.0001 → …, forward and backward.
- bytes/node: memory retained (tracemalloc) per binary operation node ``x * y``: the node and its
  float for chainrule, whatever the engine keeps for micrograd.
"""

from __future__ import annotations

import gc
import math
import sys
import time
import tracemalloc

import numpy as np


ALPHA = 1e-4  # micrograd demo's L2 weight
SIZES = (2, 16, 16, 1)


# ---------------------------------------------------------------------------------------------
# Data


def two_moons(n: int = 100, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles, labels ±1 (as micrograd's demo), from a seeded numpy generator."""
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    points = np.concatenate([np.c_[np.cos(t_out), np.sin(t_out)],
                             np.c_[1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]])
    points += rng.normal(scale=noise, size=points.shape)
    labels = np.concatenate([-np.ones(n_out), np.ones(n_in)])
    return points, labels


def initial_weights(seed: int = 1):
    """Weights uniform in (−1, 1) and zero biases, as micrograd's Neuron; layer l: W (out × in), b (out)."""
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1, 1, size=(n_out, n_in)).tolist(), [0.0] * n_out)
            for n_in, n_out in zip(SIZES[:-1], SIZES[1:])]


def wide_data(n: int, seed: int = 2):
    rng = np.random.default_rng(seed)
    a, b, c = rng.normal(size=(3, n))
    return a.tolist(), b.tolist(), c.tolist()


def learning_rate(step: int) -> float:
    return 1.0 - 0.9 * step / 100  # micrograd demo's schedule


# ---------------------------------------------------------------------------------------------
# The wide workload: one source text for every engine's Value class


def wide_expression(a, b, c):
    """Ten operations in micrograd's operator set (``*``, ``+``, ``-``, ``/``, ``**``, relu)."""
    return ((a * b + c).relu() - 2 * a) ** 2 + c / (b * b + 1.0)


WIDE_OPS_PER_TERM = 10


def tree_sum(terms):
    """Σ terms by a balanced tree of binary additions (depth log₂ N: no engine recurses deeply)."""
    terms = list(terms)
    while len(terms) > 1:
        paired = [x + y for x, y in zip(terms[::2], terms[1::2])]
        if len(terms) % 2:
            paired.append(terms[-1])
        terms = paired
    return terms[0]


def wide_forward(A, B, C):
    return tree_sum([wide_expression(a, b, c) for a, b, c in zip(A, B, C)])


def wide_floor_forward(a, b, c):
    """Plain floats: the sum, and what the hand-written backward needs (the relu's input)."""
    zs, total = [], 0.0
    for ai, bi, ci in zip(a, b, c):
        z = ai * bi + ci
        zs.append(z)
        u = (z if z > 0.0 else 0.0) - 2 * ai
        total += u ** 2 + ci / (bi * bi + 1.0)
    return zs, total


def wide_floor_backward(a, b, c, zs):
    """∂sum/∂aᵢ, ∂sum/∂bᵢ, ∂sum/∂cᵢ of `wide_floor_forward`, written out by hand."""
    ga, gb, gc_ = [], [], []
    for ai, bi, ci, z in zip(a, b, c, zs):
        r = z if z > 0.0 else 0.0
        step = 1.0 if z > 0.0 else 0.0
        du = 2.0 * (r - 2 * ai)
        d = bi * bi + 1.0
        ga.append(du * (step * bi - 2.0))
        gb.append(du * step * ai - ci * 2.0 * bi / (d * d))
        gc_.append(du * step + 1.0 / d)
    return ga, gb, gc_


# ---------------------------------------------------------------------------------------------
# micrograd 0.1.0 (optional: the `bench` extra installs it)


def micrograd_available() -> bool:
    try:
        import micrograd.engine  # noqa: F401
    except ImportError:
        return False
    return True


def micrograd_value():
    from micrograd.engine import Value as MV
    return MV


def deepest_micrograd(limit: int = 1_000_000) -> tuple[int, str]:
    """The longest chain micrograd differentiates at the default recursion limit, and how it fails."""
    MV = micrograd_value()

    def works(depth):
        x = MV(1.0)
        v = x
        for _ in range(depth):
            v = v * 1.0001 + 0.0001
        try:
            v.backward()
        except RecursionError:
            return False
        return True

    lo, hi = 1, 2
    while hi <= limit and works(hi):
        lo, hi = hi, hi * 2
    if hi > limit:
        return limit, "ok"
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if works(mid) else (lo, mid)
    return lo, "RecursionError"


# ---------------------------------------------------------------------------------------------
# Depth and memory


def deep_chain(V, depth: int):
    """x → x·1.0001 → … + 0.0001 → …: ``depth`` operations, alternately a product and a sum."""
    x = V(1.0)
    v = x
    for _ in range(depth // 2):
        v = v * 1.0001 + 0.0001
    return x, v


def deep_expected_grad(depth: int) -> float:
    return 1.0001 ** (depth // 2)


def bytes_per_node(V, n: int = 20_000):
    """Bytes retained per binary operation node ``x * y`` (x, y existing leaves), by tracemalloc.

    The list that holds the nodes (8 bytes an entry) is not counted.
    """
    xs, ys = [V(float(i) + 0.5) for i in range(n)], [V(1.0 - float(i)) for i in range(n)]
    nodes = [None] * n
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            nodes[i] = xs[i] * ys[i]
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / n


def wide_bytes_per_node(V, n: int, count_nodes):
    """Bytes retained by the wide forward pass per node it recorded (partials' own floats included)."""
    a, b, c = wide_data(n)
    A, B, C = [V(x) for x in a], [V(x) for x in b], [V(x) for x in c]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        root = wide_forward(A, B, C)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / (count_nodes(root) - 3 * n)


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def clock(fn):
    """(seconds fn() took, its result), after gc.collect(); the collector stays on while it runs."""
    gc.collect()
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def python_version() -> str:
    return sys.version.split()[0]


def isclose(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
