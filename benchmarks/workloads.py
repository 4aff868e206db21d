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
  equal.
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

from autograd import Replay, Value, linear, sum_values

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
# MLPs. The floor: lists of floats, forward and backward written out by hand, one sample at a time.


class FloorMLP:
    """The MLP on lists of floats, forward and backward written out by hand, one sample at a time."""

    def __init__(self, weights):
        self.W = [[list(row) for row in W] for W, _ in weights]
        self.B = [list(b) for _, b in weights]

    def parameters(self):
        return [w for W in self.W for row in W for w in row] + [b for B in self.B for b in B]

    def step(self, X, Y, lr):
        W, B, last = self.W, self.B, len(self.W) - 1
        gW = [[[0.0] * len(row) for row in Wl] for Wl in W]
        gB = [[0.0] * len(Bl) for Bl in B]
        n = len(X)
        data_loss = 0.0
        for x, y in zip(X, Y):
            acts, pres = [x], []
            for l, (Wl, Bl) in enumerate(zip(W, B)):
                a = acts[-1]
                z = [sum([w * ai for w, ai in zip(row, a)]) + b for row, b in zip(Wl, Bl)]
                pres.append(z)
                acts.append(z if l == last else [zi if zi > 0.0 else 0.0 for zi in z])
            margin = 1.0 - y * acts[-1][0]
            if margin <= 0.0:
                continue  # relu'(≤0) = 0: this sample contributes nothing to the gradient
            data_loss += margin
            delta = [-y / n]
            for l in range(last, -1, -1):
                a, Wl, gWl, gBl = acts[l], W[l], gW[l], gB[l]
                for i, d in enumerate(delta):
                    row = gWl[i]
                    for j, aj in enumerate(a):
                        row[j] += d * aj
                    gBl[i] += d
                if l:
                    z_prev = pres[l - 1]
                    delta = [sum([Wl[i][j] * delta[i] for i in range(len(delta))]) if z_prev[j] > 0.0 else 0.0
                             for j in range(len(a))]
        reg = 0.0
        for Wl, gWl in zip(W, gW):
            for row, grow in zip(Wl, gWl):
                for j, w in enumerate(row):
                    reg += w * w
                    grow[j] += 2.0 * ALPHA * w
        for Bl, gBl in zip(B, gB):
            for i, b in enumerate(Bl):
                reg += b * b
                gBl[i] += 2.0 * ALPHA * b
        loss = data_loss / n + ALPHA * reg
        for Wl, gWl in zip(W, gW):
            for row, grow in zip(Wl, gWl):
                for j, g in enumerate(grow):
                    row[j] -= lr * g
        for Bl, gBl in zip(B, gB):
            for i, g in enumerate(gBl):
                Bl[i] -= lr * g
        return loss


# micrograd's nn module, as classes over any Value class: what "micrograd-style code" means here.

class _MgNeuron:
    def __init__(self, V, w, b, nonlin):
        self.w = [V(x) for x in w]
        self.b = V(b)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


class _MgLayer:
    def __init__(self, V, W, bs, nonlin):
        self.neurons = [_MgNeuron(V, row, b, nonlin) for row, b in zip(W, bs)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MicrogradStyleMLP:
    """micrograd's MLP, Layer and Neuron, line for line, over the Value class ``V`` (chainrule's by
    default); its `step` is micrograd's demo training step, also line for line."""

    def __init__(self, weights, V=Value):
        self.V = V
        self.layers = [_MgLayer(V, W, bs, l < len(weights) - 1) for l, (W, bs) in enumerate(weights)]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0

    def step(self, X, Y, lr):
        return micrograd_demo_step(self, self.V, X, Y, lr)


def micrograd_demo_step(model, V, X, Y, lr):
    """micrograd's demo: loss over the whole batch, zero_grad, backward, SGD."""
    inputs = [list(map(V, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum((p * p for p in model.parameters()))
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return total.data


class MicrogradMLP:
    """micrograd's own MLP (the pip-installed package), with the shared initial weights copied in."""

    def __init__(self, weights):
        from micrograd.engine import Value as MV
        from micrograd.nn import MLP
        self.V = MV
        self.model = MLP(SIZES[0], list(SIZES[1:]))
        for layer, (W, bs) in zip(self.model.layers, weights):
            for neuron, row, b in zip(layer.neurons, W, bs):
                for wv, w in zip(neuron.w, row):
                    wv.data = w
                neuron.b.data = b

    def parameters(self):
        return self.model.parameters()

    def step(self, X, Y, lr):
        return micrograd_demo_step(self.model, self.V, X, Y, lr)


class NNMLP:
    """chainrule's `nn.MLP` (relu hidden layers, identity output: its defaults) with the same loss,
    written with chainrule's n-ary `sum_values`."""

    def __init__(self, weights):
        from nn import MLP
        self.net = MLP(list(SIZES))
        self.net.load([W for W, _ in weights], [b for _, b in weights])
        self.params = self.net.parameters()

    def parameters(self):
        return self.params

    def step(self, X, Y, lr):
        net, params = self.net, self.params
        scores = [net(x)[0] for x in X]
        hinges = [(1.0 - y * s).relu() for y, s in zip(Y, scores)]
        total = sum_values(hinges) * (1.0 / len(hinges)) + ALPHA * sum_values([p * p for p in params])
        net.zero_grad()
        total.backward()
        for p in params:
            p.data -= lr * p.grad
        return total.data


class ChainruleMLP:
    """The MLP on chainrule Values, written directly. ``neuron="linear"``: each pre-activation is ONE
    `autograd.linear` node (how chainrule builds a neuron); ``neuron="binary"``: a chain of binary
    ``*`` and ``+`` as micrograd builds it."""

    def __init__(self, weights, neuron: str = "linear"):
        self.W = [[[Value(w) for w in row] for row in W] for W, _ in weights]
        self.B = [[Value(b) for b in bs] for _, bs in weights]
        self.neuron = neuron

    def parameters(self):
        return [w for W in self.W for row in W for w in row] + [b for B in self.B for b in B]

    def __call__(self, x):
        last = len(self.W) - 1
        for l, (Wl, Bl) in enumerate(zip(self.W, self.B)):
            if self.neuron == "linear":
                z = [linear(row, x, b) for row, b in zip(Wl, Bl)]
            else:
                z = [sum((w * xi for w, xi in zip(row, x)), b) for row, b in zip(Wl, Bl)]
            x = z if l == last else [zi.relu() for zi in z]
        return x[0]

    def loss(self, X, Y):
        params = self.parameters()
        if self.neuron == "linear":
            hinges = [(1.0 - y * self(x)).relu() for x, y in zip(X, Y)]
            return sum_values(hinges) * (1.0 / len(hinges)) + ALPHA * sum_values([p * p for p in params])
        hinges = [(1 + -y * self(x)).relu() for x, y in zip(X, Y)]
        return sum(hinges) * (1.0 / len(hinges)) + ALPHA * sum(p * p for p in params)

    def step(self, X, Y, lr):
        params = self.parameters()
        total = self.loss(X, Y)
        for p in params:
            p.grad = 0.0
        total.backward()
        for p in params:
            p.data -= lr * p.grad
        return total.data


class ReplayMLP:
    """The MLP recorded once for one sample (inputs x₁, x₂, y) and replayed on the whole batch.

    The recorded per-sample loss is hinge/n + L2/n, so the batch's sum is exactly the demo's loss;
    the L2 term depends on no input and is computed once per step, not once per sample.
    """

    def __init__(self, weights, n: int):
        self.net = ChainruleMLP(weights)
        x1, x2, y = Value(0.0, "x_1"), Value(0.0, "x_2"), Value(1.0, "y")
        params = self.net.parameters()
        hinge = (1.0 - y * self.net([x1, x2])).relu()
        reg = ALPHA * sum_values([p * p for p in params])
        self.replay = Replay(hinge * (1.0 / n) + reg * (1.0 / n), inputs=[x1, x2, y])
        self.params = self.replay.parameters
        where = {id(p): k for k, p in enumerate(self.params)}
        self._order = np.array([where[id(p)] for p in params])  # Replay's order -> the network's

    def parameters(self):
        return self.net.parameters()

    def forward_backward(self, XY):
        """(loss, gradients in the network's parameter order, as `NumpyMLP.forward_backward` gives them)."""
        loss = float(self.replay.forward(XY).sum())
        return loss, self.replay.backward()[self._order]

    def step(self, XY, lr):
        loss, grads = self.forward_backward(XY)
        for p, g in zip(self.net.parameters(), grads.tolist()):
            p.data -= lr * g
        return loss


class NumpyMLP:
    """The same network and loss on the whole batch, forward and backward written by hand in numpy:
    the reference a batched engine is measured against."""

    def __init__(self, weights):
        self.W = [np.array(W, dtype=float) for W, _ in weights]
        self.b = [np.array(b, dtype=float) for _, b in weights]

    def forward_backward(self, X, Y):
        """(loss, gradients flattened in `ChainruleMLP.parameters` order: every W row by row, then every b)."""
        W, b = self.W, self.b
        n = X.shape[0]
        hs, zs = [X], []
        for l in range(len(W)):
            z = hs[-1] @ W[l].T + b[l]
            zs.append(z)
            hs.append(np.maximum(z, 0.0) if l < len(W) - 1 else z)
        margin = 1.0 - Y * hs[-1][:, 0]
        reg = sum(float(np.dot(w.ravel(), w.ravel())) for w in W) + sum(float(np.dot(c, c)) for c in b)
        loss = float(np.maximum(margin, 0.0).sum()) / n + ALPHA * reg
        delta = np.where(margin > 0.0, -Y / n, 0.0)[:, None]
        gW, gb = [None] * len(W), [None] * len(W)
        for l in range(len(W) - 1, -1, -1):
            gW[l] = delta.T @ hs[l] + (2.0 * ALPHA) * W[l]
            gb[l] = delta.sum(axis=0) + (2.0 * ALPHA) * b[l]
            if l:
                delta = (delta @ W[l]) * (zs[l - 1] > 0.0)
        return loss, np.concatenate([g.ravel() for g in gW] + gb)


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
