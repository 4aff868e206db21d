"""`MLP`: layers applied one after the other, built from a sheet's matrices or at random.

Seed 002 in a few lines (α = Wᵀ[1; x], the bias as each W's first row, sigmoid units):

>>> net = MLP.from_matrices([[[-1, 2], [-2, 1], [1, 4]], [[1], [2], [-4]]], activations="sigmoid",
...                         convention="W^T x", notation="alpha-beta")
>>> y_hat, = net([2, 5])
>>> y_hat.label, round(y_hat.data, 4)
('ŷ', 0.1192)
>>> [v.label for v in net.layers[0].last_pre], net.parameter("W^1_{21}").label
(['α¹₁', 'α¹₂'], 'W¹₂₁')
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Sequence

import numpy as np

from autograd import Value
from autograd.graph import topological_order
from nn import micrograd as _micrograd
from nn import naming as _naming
from nn.conventions import WT_X, WX_B, canonical_convention, as_inputs
from nn.layers import Layer
from nn.module import Module, unique_named

def _per_layer(spec, n: int, what: str) -> list:
    if isinstance(spec, (list, tuple)):
        if len(spec) != n:
            raise ValueError(f"{what} has {len(spec)} entries, expected one per layer ({n})")
        return list(spec)
    return [spec] * n


class MLP(Module):
    """A multi-layer perceptron: layers applied one after the other.

    Build one from a sheet's matrices with `MLP.from_matrices`, at random with ``MLP(sizes)``, or
    micrograd's way with ``MLP(nin, nouts)``: ``MLP(2, [16, 16, 1])`` has ReLU on every layer but the
    last, weights from ``random.uniform(-1, 1)`` as micrograd draws them (see nn.micrograd), and
    returns a Value, not a list, when it has one output.

    Args:
        sizes: the number of inputs, then the number of units of each layer: ``[2, 16, 16, 1]``; or,
            micrograd's way, the number of inputs alone, with ``nouts`` in place of ``activations``.
        activations: one activation for every layer, or a list with one per layer. Default: relu for
            the hidden layers, identity for the output layer.
        bias: whether the layers have biases.
        convention, notation, seed: as for `Layer` (layer l is seeded with ``seed + l``).

    Attributes:
        layers: the layers, in order.
        notation: the `nn.Notation` names come from.
        last_inputs: the input Values of the latest forward pass.
        returns_value: calling returns the one output's Value, not a list (built micrograd's way).
    """

    def __init__(self, sizes: Sequence[int] | int, activations=None, *, bias: bool = True, convention: str = WX_B,
                 notation=None, seed: int | None = 0) -> None:
        if _micrograd.is_count(sizes):  # micrograd's MLP(nin, nouts)
            sizes = _micrograd.check_sizes(sizes, activations)
            n = len(sizes) - 1
            nota = _naming.get(notation)
            self._finish([Layer(sizes[l], sizes[l + 1], nonlin=l != n - 1, bias=bias, convention=convention,
                                layer=l + 1, is_output=l == n - 1, notation=nota) for l in range(n)], nota)
            self.returns_value = sizes[-1] == 1
            return
        sizes = list(sizes)  # type: ignore[arg-type]
        if len(sizes) < 2:
            raise ValueError(f"sizes lists the inputs then each layer's units, e.g. [2, 16, 1]; got {sizes!r}")
        n = len(sizes) - 1
        if activations is None:
            activations = ["relu"] * (n - 1) + ["identity"]
        acts = _per_layer(activations, n, "activations")
        nota = _naming.get(notation)
        layers = [Layer(sizes[l], sizes[l + 1], acts[l], bias=bias, convention=convention, layer=l + 1,
                        is_output=l == n - 1, notation=nota, seed=None if seed is None else seed + l + 1)
                  for l in range(n)]
        self._finish(layers, nota)

    @classmethod
    def from_matrices(cls, weights: Sequence, biases: Sequence | None = None, *, activations,
                      convention: str = WX_B, bias_row: bool = True, notation=None) -> "MLP":
        """A network with the weights printed on a sheet.

        Args:
            weights: one matrix per layer (nested lists or numpy arrays), in the given convention.
            biases: in ``"Wx+b"``, one bias vector per layer (or None in that place for a layer without
                biases); None for no biases at all. Not used in ``"W^T x"`` (bias = W's first row).
            activations: one activation for all layers or a list with one per layer (names such as
                ``"sigmoid"``, functions of a Value, ``"softmax"`` for a layer-wide softmax).
            convention: ``"Wx+b"`` or ``"W^T x"``.
            bias_row: in ``"W^T x"``, whether each W's first row is the bias.
            notation: an `nn.Notation` or a preset name (``"alpha-beta"``, ``"matrix-subscript"``, ...).

        Raises:
            ValueError: a matrix is malformed, or the shapes of consecutive layers do not fit (the
                message shows the expected and the received shape).

        Example (seed 001: z = W x + b, f(z) = relu(z) + sin(z), softmax output)::

            net = MLP.from_matrices([W1, W2], [b1, b2], activations=[lambda z: z.relu() + z.sin(), "softmax"],
                                    notation="matrix-subscript")
        """
        weights = list(weights) if not isinstance(weights, np.ndarray) or weights.ndim != 2 else [weights]
        n = len(weights)
        if n == 0:
            raise ValueError("from_matrices needs at least one weight matrix")
        conv = canonical_convention(convention)
        if biases is None:
            bs = [None] * n
        else:
            if conv == WT_X:
                raise ValueError("in the 'W^T x' convention the biases are the first row of each W; "
                                 "do not pass biases (use bias_row=False for a W without a bias row)")
            bs = list(biases)
            if len(bs) != n:
                raise ValueError(f"got {n} weight matrices but {len(bs)} bias vectors; give one per layer "
                                 f"(None for a layer without biases)")
        acts = _per_layer(activations, n, "activations")
        nota = _naming.get(notation)
        layers = [Layer.from_matrix(weights[l], bs[l], acts[l], convention=conv, bias_row=bias_row, layer=l + 1,
                                    is_output=l == n - 1, notation=nota) for l in range(n)]
        self = cls.__new__(cls)
        self._finish(layers, nota)
        return self

    def _finish(self, layers: list[Layer], notation: _naming.Notation) -> None:
        for prev, layer in zip(layers, layers[1:]):
            if layer.n_inputs != prev.n_units:
                rows, cols = layer.weight_shape
                if layer.convention == WX_B:
                    expected, why = (rows, prev.n_units), f"{cols} inputs"
                elif layer.bias_row:
                    expected, why = (prev.n_units + 1, cols), f"{rows - 1} inputs plus the bias row"
                else:
                    expected, why = (prev.n_units, cols), f"{rows} inputs"
                raise ValueError(
                    f"{layer.weight_name} has shape {layer.weight_shape}, expected {expected}: in the "
                    f"{layer.convention!r} convention that shape means {why}, but layer {prev.index} "
                    f"({prev.weight_name}) has {prev.n_units} units")
        self.layers = layers
        self.returns_value = False
        self.notation = notation
        self.last_inputs: list = []
        self.input_labels = [notation.input_name(k + 1) for k in range(layers[0].n_inputs)]
        seen: dict[str, int] = {}
        for name, _ in self.named_parameters():
            seen[name] = seen.get(name, 0) + 1
        clashes = [name for name, k in seen.items() if k > 1]
        if clashes:
            raise ValueError(f"the notation gives several parameters the same name ({', '.join(clashes[:5])}); "
                             f"use templates with <l>, <i>, <j> and <u> so every parameter's name is unique")

    @property
    def n_inputs(self) -> int:
        """How many inputs the network takes."""
        return self.layers[0].n_inputs

    @property
    def n_outputs(self) -> int:
        """How many outputs the network gives."""
        return self.layers[-1].n_units

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every layer's parameters in order: W row by row as given, then b."""
        return unique_named([p for layer in self.layers for p in layer.parameters()])

    def __call__(self, x) -> Any:
        """The network's outputs: a list (``y_hat, = net(x)`` for one output), or the one output's Value
        for a network built micrograd's way (``MLP(nin, nouts)``).

        Args:
            x: the input, as numbers (they become leaves named x₁, x₂, ... by the notation) or Values
                (used as they are, names untouched).

        Raises:
            ValueError: x has the wrong number of entries.
        """
        xs = as_inputs(x, self.n_inputs, self.input_labels, "the network's input")
        self.last_inputs = xs
        out = xs
        for layer in self.layers:
            out = layer.forward(out)
        return out[0] if self.returns_value else out

    # Numbers out -------------------------------------------------------------------------------------

    def weights(self) -> list[np.ndarray]:
        """Each layer's W as a numpy array, in the convention and shape it was given."""
        return [layer.weight_matrix() for layer in self.layers]

    def biases(self) -> list[np.ndarray | None]:
        """Each layer's separate bias vector (shape (units,)), or None (no biases, or a bias row in W)."""
        return [layer.bias_vector() for layer in self.layers]

    def matrices(self, grad: bool = False) -> "OrderedDict[str, np.ndarray]":
        """Every weight matrix and bias vector by name (W¹, b¹, W², ...), or their gradients."""
        out: OrderedDict[str, np.ndarray] = OrderedDict()
        for layer in self.layers:
            out[layer.weight_name] = layer.weight_matrix(grad)
            if layer.b is not None:
                out[layer.bias_name] = layer.bias_vector(grad)
        return out

    def grads(self) -> "OrderedDict[str, np.ndarray]":
        """∂(last backward's root)/∂ each matrix, by name: ``net.grads()["W¹"]`` has W¹'s shape."""
        return self.matrices(grad=True)

    def load(self, weights: Sequence, biases: Sequence | None = None) -> None:
        """Overwrite every layer's numbers in place (shapes checked), keeping the Values and names."""
        weights = list(weights)
        if len(weights) != len(self.layers):
            raise ValueError(f"got {len(weights)} weight matrices, expected {len(self.layers)} (one per layer)")
        bs = list(biases) if biases is not None else [None] * len(self.layers)
        if len(bs) != len(self.layers):
            raise ValueError(f"got {len(bs)} bias vectors, expected {len(self.layers)} (one per layer)")
        for layer, W, b in zip(self.layers, weights, bs):
            layer.load(W, b)

    # For printouts and drawings ----------------------------------------------------------------------

    def forward_values(self) -> list[tuple[str, Value]]:
        """The named Values of the latest forward pass, in order: inputs, then each layer's
        pre-activations and activations (a unit with an identity activation appears once)."""
        out: list[tuple[str, Value]] = [(v.label, v) for v in self.last_inputs]
        for layer in self.layers:
            for z, a in zip(layer.last_pre, layer.last_post):
                out.append((z.label, z))
                if a is not z:
                    out.append((a.label, a))
        return out

    def graph_groups(self, loss: Value | None = None) -> "OrderedDict[str, list[Value]]":
        """Which nodes belong to which layer, for drawings that cluster by layer.

        Returns an ordered dict: ``"input"`` (the latest forward's input Values), ``"layer 1"``,
        ``"layer 2"``, ... (the layer's parameters, then every node its latest forward pass made, in
        topological order: pre-activations, the inside of the activation, activations) and, when
        ``loss`` is given, ``"loss"`` (the nodes after the network's outputs on the way to ``loss``,
        with the targets they read). Each node appears in at most one group.
        """
        groups: OrderedDict[str, list[Value]] = OrderedDict()
        roots = [loss] if loss is not None else [v for v in self.layers[-1].last_post]
        order: list[Value] = []
        placed: set[int] = set()
        for r in roots:
            for v in topological_order(r):
                if id(v) not in placed:
                    placed.add(id(v))
                    order.append(v)
        taken: set[int] = set()
        if self.last_inputs:
            groups["input"] = list(self.last_inputs)
            taken.update(id(v) for v in self.last_inputs)
        for layer in self.layers:
            params = layer.parameters()
            stop = {id(v) for v in layer.last_inputs} | {id(p) for p in params}
            made = _made_between(layer.last_post, stop)
            members = list(params) + [v for v in order if id(v) in made and id(v) not in taken]
            taken.update(id(v) for v in members)
            groups[f"layer {layer.index}"] = members
        if loss is not None:
            downstream = {id(v) for v in self.layers[-1].last_post}
            members = []
            listed: set[int] = set()
            for v in order:  # every node computed from the outputs, and the leaves (targets) it reads
                if v.parents and any(id(p) in downstream for p in v.parents):
                    downstream.add(id(v))
                    for p in v.parents:
                        if not p.parents and id(p) not in taken and id(p) not in listed:
                            listed.add(id(p))
                            members.append(p)
                    members.append(v)
            groups["loss"] = members
        return groups

    def __repr__(self) -> str:
        sizes = [self.n_inputs] + [layer.n_units for layer in self.layers]
        acts = ", ".join(layer.activation.name for layer in self.layers)
        return f"MLP({sizes}, activations=[{acts}], convention={self.layers[0].convention!r})"



def _made_between(outputs: Sequence[Value], stop: set[int]) -> set[int]:
    """ids of the nodes reachable backwards from ``outputs`` without passing a node in ``stop``."""
    made: set[int] = set()
    stack = [v for v in outputs if id(v) not in stop]
    while stack:
        v = stack.pop()
        if id(v) in made:
            continue
        made.add(id(v))
        for p in v.parents:
            if id(p) not in stop and id(p) not in made:
                stack.append(p)
    return made
