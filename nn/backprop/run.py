"""The network run on the derivation's samples through the engine: every layer's input,
pre-activation and activation as numbers, and the engine's gradients (``.grad``) of those nodes and
of the parameters, against which each line of the derivation is checked.

The run builds its own graph and leaves the network as it found it: the parameters' gradients and
the nodes of the latest forward pass (``last_pre``, …) are put back afterwards, so a worked solution
that already ran its own forward and backward pass still shows its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from autograd import Value, sum_values
from nn import losses as _losses

# The losses by the names problem files use, each applied to a network's outputs and one target.
LOSSES: dict[str, Callable] = {
    "squared_error": _losses.squared_error,
    "mse": _losses.mse,
    "cross_entropy": _losses.cross_entropy,
    "cross_entropy_from_probabilities": _losses.cross_entropy_from_probabilities,
    "logistic": _losses.logistic,
    "binary_cross_entropy": _losses.binary_cross_entropy,
    "hinge": _losses.hinge,
}
REDUCTIONS = ("sum", "mean")


@dataclass
class Sample:
    """One sample's numbers, per layer l = 1 … L (index l − 1); ``inputs[0]`` is x."""

    x: np.ndarray
    y: np.ndarray
    inputs: list  # what layer l reads (without the constant 1 of a bias row)
    pre: list
    post: list
    pre_grad: list  # the engine's ∂C/∂z of each pre-activation
    post_grad: list  # the engine's ∂C/∂h of each activation


@dataclass
class Run:
    """The samples' numbers and the engine's parameter gradients, as the network stores W and b."""

    samples: list
    weight_grads: list
    bias_grads: list
    weights: list
    biases: list
    loss: float
    loss_name: str


def targets(loss: str, y: object, k: int) -> np.ndarray:
    """A target as a vector of k numbers (a class index becomes one-hot for the cross-entropies)."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; the losses are {', '.join(LOSSES)}")
    if loss.startswith("cross_entropy") and isinstance(y, (int, np.integer)) and not isinstance(y, bool):
        if not 0 <= int(y) < k:
            raise ValueError(f"{loss}: class index {y} is out of range for {k} classes (0 to {k - 1})")
        return np.eye(k)[int(y)]
    t = np.array(y, dtype=float).reshape(-1)
    if t.size != k:
        raise ValueError(f"the target {y!r} has {t.size} entries but the network has {k} outputs; give one per output")
    return t


def run(net, loss: str, samples: Sequence, reduction: str = "sum", l2: float = 0.0, l2_half: bool = True) -> Run:
    """Forward and backward through the engine for ``samples`` [(x, y), …]; see the module docstring.

    Raises:
        ValueError: an unknown loss or reduction, a negative L2 strength, or a sample of the wrong size.
    """
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'sum' or 'mean', got {reduction!r}")
    if l2 < 0:
        raise ValueError(f"the L2 strength must be ≥ 0, got {l2!r}")
    params = net.parameters()
    saved_grads = [p.grad for p in params]
    saved_last = [(layer.last_inputs, layer.last_pre, layer.last_post,
                   [(n.last_pre, n.last_post) for n in layer.neurons]) for layer in net.layers]
    saved_inputs = net.last_inputs
    try:
        for p in params:
            p.grad = 0.0
        recorded, per_sample = [], []
        for x, y in samples:
            outputs = net(x)
            t = targets(loss, y, len(outputs))
            per_sample.append(LOSSES[loss](outputs, list(t)))
            recorded.append((net.last_inputs, t, [(layer.last_inputs, layer.last_pre, layer.last_post)
                                                  for layer in net.layers]))
        total = per_sample[0] if len(per_sample) == 1 else sum_values(per_sample)
        if reduction == "mean" and len(per_sample) > 1:
            total = total / len(per_sample)
        if l2:
            weights = [w for layer in net.layers for row in layer.W for w in row]
            total = total + _losses.l2(weights, l2, half=l2_half)
        total.backward()
        out = []
        for xs, t, layers in recorded:
            out.append(Sample(_data(xs), t, [_data(i) for i, _, _ in layers], [_data(z) for _, z, _ in layers],
                              [_data(h) for _, _, h in layers], [_grads(z) for _, z, _ in layers],
                              [_grads(h) for _, _, h in layers]))
        result = Run(out, [layer.weight_matrix(grad=True) for layer in net.layers],
                     [layer.bias_vector(grad=True) for layer in net.layers],
                     [layer.weight_matrix() for layer in net.layers], [layer.bias_vector() for layer in net.layers],
                     total.data, loss)
    finally:
        for p, g in zip(params, saved_grads):
            p.grad = g
        for layer, (ins, pre, post, units) in zip(net.layers, saved_last):
            layer.last_inputs, layer.last_pre, layer.last_post = ins, pre, post
            for n, (z, h) in zip(layer.neurons, units):
                n.last_pre, n.last_post = z, h
        net.last_inputs = saved_inputs
    return result


def _data(vs: Sequence[Value]) -> np.ndarray:
    return np.array([v.data for v in vs], dtype=float)


def _grads(vs: Sequence[Value]) -> np.ndarray:
    return np.array([v.grad for v in vs], dtype=float)
