"""The MLP step's network, once per engine, all from the same weights and with micrograd's demo loss
(SVM max-margin hinge, mean over the batch, plus 1e-4·Σp²): the floor on lists of floats with the
backward pass written out by hand (`FloorMLP`), micrograd's own classes (`MicrogradMLP`), the same
classes written against chainrule's `Value` (`MicrogradStyleMLP`), chainrule's `nn.MLP` (`NNMLP`),
a `Replay` of one sample's graph (`ReplayMLP`) and numpy written by hand (`NumpyMLP`). The data, the
weights and the other workloads are in workloads.py.
"""

from __future__ import annotations

import numpy as np

from autograd import Replay, Value, linear, sum_values
from benchmarks.workloads import ALPHA, SIZES


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
