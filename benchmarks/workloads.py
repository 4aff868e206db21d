"""The benchmark workloads, written once per engine so that what is timed reads side by side.

- wide: f = Σᵢ relu(aᵢ·bᵢ + cᵢ) over N triples of leaves; forward (building the graph) and backward
  timed separately. relu because micrograd 0.1.0 has no tanh. One "op" is one of the 4N scalar
  operations (mul, add, relu, and one term of the sum), whatever the engine makes of them.
- MLP step: MLP(2, [16, 16, 1]) with relu hidden layers, micrograd's demo loss (SVM max-margin
  hinge, mean over the batch, plus 1e-4·Σp² L2), 100 two-moons points, one full-batch forward,
  backward and SGD update. Every engine starts from the same weights, so their losses and gradients
  can be compared; `run.py` checks that they agree.
- deep: x → x·1.0001 + 0.0001 repeated D times, forward and backward.
- bytes/node: memory retained by the wide forward pass (tracemalloc), per node the engine created.

Each engine function takes plain Python/numpy data and returns seconds (and a check value).
"""

from __future__ import annotations

import contextlib
import gc
import math
import sys
import time
import tracemalloc

import numpy as np

from autograd import Replay, Value, gc_paused, linear, sum_values

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


def _clock(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


# ---------------------------------------------------------------------------------------------
# Plain floats with a hand-written backward: the floor any scalar engine pays on top of.


def wide_floor_forward_values(a, b, c):
    """The floor's forward: f, and the pre-activations zᵢ that its backward needs."""
    zs, f = [], 0.0
    for ai, bi, ci in zip(a, b, c):
        z = ai * bi + ci
        zs.append(z)
        if z > 0.0:
            f += z
    return zs, f


def wide_floor(a, b, c):
    def backward():
        ga, gb, gc_ = [], [], []
        for ai, bi, z in zip(a, b, zs):
            m = 1.0 if z > 0.0 else 0.0
            ga.append(bi * m)
            gb.append(ai * m)
            gc_.append(m)
        return ga

    t_fwd, (zs, f) = _clock(lambda: wide_floor_forward_values(a, b, c))
    t_bwd, ga = _clock(backward)
    return t_fwd, t_bwd, (f, ga[0])


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


# ---------------------------------------------------------------------------------------------
# chainrule, scalar engine


def wide_chainrule(a, b, c, paused: bool = False):
    """``paused``: build and differentiate inside `autograd.gc_paused` (the collector off)."""
    A, B, C = [Value(x) for x in a], [Value(x) for x in b], [Value(x) for x in c]
    with gc_paused() if paused else contextlib.nullcontext():
        t_fwd, f = _clock(lambda: sum_values([(x * y + z).relu() for x, y, z in zip(A, B, C)]))
        t_bwd, _ = _clock(f.backward)
    return t_fwd, t_bwd, (f.data, A[0].grad)


def wide_replay(a, b, c):
    """The wide sum as a batch: one recorded term relu(a·b + c), replayed on all N triples."""
    x, y, z = Value(0.0, "a"), Value(0.0, "b"), Value(0.0, "c")
    rep = Replay((x * y + z).relu(), inputs=[x, y, z])
    batch = np.column_stack([a, b, c])

    def backward():
        rep.backward()
        return rep.input_gradients()

    t_fwd, terms = _clock(lambda: rep.forward(batch))
    t_bwd, grads = _clock(backward)
    return t_fwd, t_bwd, (float(terms.sum()), float(grads[0, 0]))


class ChainruleMLP:
    """The MLP on Values. ``neuron="linear"``: each pre-activation is ONE `autograd.linear` node (how
    chainrule builds a neuron); ``neuron="binary"``: a chain of binary * and + as micrograd builds it."""

    def __init__(self, weights, neuron: str = "linear", paused: bool = False):
        self.W = [[[Value(w) for w in row] for row in W] for W, _ in weights]
        self.B = [[Value(b) for b in bs] for _, bs in weights]
        self.neuron = neuron
        self.paused = paused

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
        with gc_paused() if self.paused else contextlib.nullcontext():
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

    def parameters(self):
        return self.net.parameters()

    def step(self, XY, lr):
        loss = float(self.replay.forward(XY).sum())
        grads = self.replay.backward()
        for p, g in zip(self.params, grads.tolist()):
            p.data -= lr * g
        return loss


# ---------------------------------------------------------------------------------------------
# micrograd 0.1.0 (optional)


def micrograd_available() -> bool:
    try:
        import micrograd.engine  # noqa: F401
    except ImportError:
        return False
    return True


def wide_micrograd(a, b, c):
    from micrograd.engine import Value as MV
    A, B, C = [MV(x) for x in a], [MV(x) for x in b], [MV(x) for x in c]

    def forward():
        terms = [(x * y + z).relu() for x, y, z in zip(A, B, C)]
        # Summed pairwise: a chain of N additions would overflow micrograd's recursive topological sort.
        while len(terms) > 1:
            terms = [terms[i] + terms[i + 1] if i + 1 < len(terms) else terms[i] for i in range(0, len(terms), 2)]
        return terms[0]

    t_fwd, f = _clock(forward)
    t_bwd, _ = _clock(f.backward)
    return t_fwd, t_bwd, (f.data, A[0].grad)


class MicrogradMLP:
    """micrograd's own MLP and demo loss, with the shared initial weights copied in."""

    def __init__(self, weights):
        from micrograd.nn import MLP
        self.model = MLP(SIZES[0], list(SIZES[1:]))
        for layer, (W, bs) in zip(self.model.layers, weights):
            for neuron, row, b in zip(layer.neurons, W, bs):
                for wv, w in zip(neuron.w, row):
                    wv.data = w
                neuron.b.data = b

    def parameters(self):
        return self.model.parameters()

    def step(self, X, Y, lr):
        from micrograd.engine import Value as MV
        inputs = [list(map(MV, row)) for row in X]
        scores = list(map(self.model, inputs))
        losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + ALPHA * sum(p * p for p in self.model.parameters())
        self.model.zero_grad()
        total.backward()
        for p in self.model.parameters():
            p.data -= lr * p.grad
        return total.data


def deepest_micrograd(limit: int = 1_000_000) -> tuple[int, str]:
    """The longest chain micrograd differentiates at the default recursion limit, and how it fails."""
    from micrograd.engine import Value as MV

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
# PyTorch (optional): 0-dim tensors for the wide workload, batched tensors for wide and MLP.


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except Exception:  # ImportError, or a CUDA build missing its shared libraries
        return False
    return True


def wide_torch_scalar(a, b, c):
    import torch
    A = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in a]
    B = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in b]
    C = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in c]
    t_fwd, f = _clock(lambda: torch.stack([torch.relu(x * y + z) for x, y, z in zip(A, B, C)]).sum())
    t_bwd, _ = _clock(f.backward)
    return t_fwd, t_bwd, (float(f), float(A[0].grad))


def wide_torch_batched(a, b, c):
    import torch
    A, B, C = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b, c))
    t_fwd, f = _clock(lambda: torch.relu(A * B + C).sum())
    t_bwd, _ = _clock(f.backward)
    return t_fwd, t_bwd, (float(f), float(A.grad[0]))


class TorchBatchedMLP:
    def __init__(self, weights):
        import torch
        self.torch = torch
        self.params = []
        for W, bs in weights:
            self.params += [torch.tensor(W, dtype=torch.float64, requires_grad=True),
                            torch.tensor(bs, dtype=torch.float64, requires_grad=True)]

    def step(self, X, Y, lr):
        torch = self.torch
        h = torch.as_tensor(X, dtype=torch.float64)
        pairs = list(zip(self.params[::2], self.params[1::2]))
        for l, (W, b) in enumerate(pairs):
            h = h @ W.T + b
            if l < len(pairs) - 1:
                h = torch.relu(h)
        y = torch.as_tensor(Y, dtype=torch.float64)
        total = torch.relu(1 - y * h[:, 0]).mean() + ALPHA * sum((p * p).sum() for p in self.params)
        for p in self.params:
            p.grad = None
        total.backward()
        with torch.no_grad():
            for p in self.params:
                p -= lr * p.grad
        return float(total)


# ---------------------------------------------------------------------------------------------
# Depth and memory for chainrule


def deep_chainrule(depth: int) -> float:
    """Seconds for forward + backward of the deep chain; raises if the engine cannot."""
    def run():
        x = Value(1.0)
        v = x
        for _ in range(depth):
            v = v * 1.0001 + 0.0001
        v.backward()
        return x.grad
    t, grad = _clock(run)
    expected = 1.0001 ** depth
    if not math.isclose(grad, expected, rel_tol=1e-6):
        raise AssertionError(f"deep chain gradient {grad} != {expected}")
    return t


def count_nodes(root, parents_of) -> int:
    """Nodes reachable from root, by an iterative walk (engines differ in what they call parents)."""
    seen, stack = {id(root)}, [root]
    while stack:
        v = stack.pop()
        for p in parents_of(v):
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)


def bytes_per_node(build, parents_of, n_leaves: int):
    """(bytes retained by build(), per node it created). build() returns the root; leaves pre-exist."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    root = build()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    nodes = count_nodes(root, parents_of) - n_leaves
    return (after - before) / nodes, nodes


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def python_version() -> str:
    return sys.version.split()[0]

