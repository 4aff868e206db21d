"""`Neuron` and `Layer`, built from the matrices printed on a problem sheet or at random.

Each unit's pre-activation is ONE `autograd.linear` node (Σ wᵢ·xᵢ + b), so a printout shows
∂z/∂xᵢ = wᵢ and ∂z/∂wᵢ = xᵢ directly. In the ``"W^T x"`` convention with a bias row (see
nn.conventions), the constant 1 is a folded constant of that node: α¹₁ = W¹₁₁·1 + W¹₂₁·x₁ + W¹₃₁·x₂.

Every parameter and forward node gets a name from the network's `nn.Notation` (W¹₂₁, b¹₁, z¹₁/α¹₁,
a¹₁/β¹₁, ŷ); parameters and gradients read back out as matrices in the convention they came in.

This module is longer than 300 lines: a Layer is built three ways (from a sheet's matrices, at
random, micrograd's way) that share one set-up, and they stay together.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from autograd import Value, linear
from autograd.notation import to_text
from nn import activations as _activations
from nn import micrograd as _micrograd
from nn import naming as _naming
from nn.conventions import (WT_X, WX_B, canonical_convention, as_inputs, as_matrix, as_vector, holds_values, parameter_leaf,
                            shape_text)
from nn.module import Module, unique_named

class Neuron(Module):
    """One unit: ``activation(Σ wᵢ·xᵢ + b)``, the sum being one `autograd.linear` node.

    Args:
        weights: the weights, as Values (shared with a `Layer`) or numbers (new leaves named w₁, w₂, ...);
            or, micrograd's way, how many: ``Neuron(nin)`` draws them from ``random.uniform(-1, 1)``,
            with bias 0 and ReLU unless ``nonlin=False`` (see nn.micrograd).
        bias: a Value, a number (a new leaf named b) or None for no bias.
        activation: a name from `nn.activations.NAMED`, a function of a Value, or None (identity).
        nonlin: micrograd's switch instead of ``activation``: True for ReLU, False for none.
        bias_row: the bias is folded in as the first weight, multiplying a constant 1 put in front of
            the inputs (seed 002's convention); then ``bias`` must be None.
        pre_label, post_label: names for the pre-activation and the activation nodes.
        identity_label: which name a unit whose activation returns its input unchanged carries.

    >>> n = Neuron([0.5, -1.0], bias=0.25, activation="relu", pre_label="z", post_label="a")
    >>> out = n([2.0, 0.5]); (out.label, out.data, n.last_pre.label, n.last_pre.data)
    ('a', 0.75, 'z', 0.75)
    """

    def __init__(self, weights: Sequence | int, bias=None, activation=None, *, nonlin: bool | None = None,
                 bias_row: bool = False, pre_label: str = "", post_label: str = "", identity_label: str = "pre") -> None:
        if _micrograd.is_count(weights):  # micrograd's Neuron(nin, nonlin=True)
            weights = list(_micrograd.uniform_weights(1, int(weights))[0])  # type: ignore[arg-type]
            bias = 0.0 if bias is None else bias
            nonlin = True if nonlin is None and activation is None else nonlin
        activation = _micrograd.choose_activation(activation, nonlin)
        weights = list(weights)  # type: ignore[arg-type]
        if not weights:
            raise ValueError("a neuron needs at least one weight")
        self.weights = tuple(w if isinstance(w, Value) else Value(w, label=to_text(f"w_{k + 1}"))
                             for k, w in enumerate(weights))
        if bias is not None and not isinstance(bias, Value):
            bias = Value(bias, label="b")
        if bias_row and bias is not None:
            raise ValueError("with bias_row=True the bias is the first weight; pass bias=None")
        if bias_row and len(self.weights) < 2:
            raise ValueError("with bias_row=True a neuron needs the bias weight and at least one input weight")
        self.bias = bias
        self.bias_row = bias_row
        self.activation = _activations.get(activation)
        if not self.activation.elementwise:
            raise ValueError(f"activation {self.activation.name!r} works on a whole layer; use it in a Layer")
        self.pre_label = pre_label
        self.post_label = post_label
        self.identity_label = identity_label
        self.last_pre: Value | None = None
        self.last_post: Value | None = None

    @property
    def n_inputs(self) -> int:
        """How many inputs the neuron takes (the constant 1 of a bias row not counted)."""
        return len(self.weights) - (1 if self.bias_row else 0)

    def named_parameters(self) -> list[tuple[str, Value]]:
        params = list(self.weights) + ([self.bias] if self.bias is not None else [])
        return [(p.label, p) for p in params]

    def pre(self, inputs: Sequence) -> Value:
        """The pre-activation Σ wᵢ·xᵢ + b as one `linear` node (unnamed: the caller names it)."""
        if self.bias_row:
            return linear(self.weights, (1.0, *inputs))
        return linear(self.weights, inputs, self.bias)

    def __call__(self, inputs: Sequence) -> Value:
        """The neuron's activation for ``inputs`` (Values or numbers); also kept in ``last_post``."""
        xs = as_inputs(inputs, self.n_inputs, [], "the neuron's input")
        z = self.pre(xs)
        out = self.activation.apply([z])[0]
        _label_unit(z, out, self.pre_label, self.post_label, self.identity_label)
        self.last_pre, self.last_post = z, out
        return out

    def __repr__(self) -> str:
        return f"Neuron({self.n_inputs} inputs, {self.activation.name}, bias={'row' if self.bias_row else self.bias is not None})"


def _label_unit(z: Value, out: Value, pre_label: str, post_label: str, identity_label: str) -> None:
    """Name a unit's nodes once. An activation that returns z itself gives one node, one name; a node
    the activation function named itself keeps its name."""
    if out is z:
        z.label = post_label if identity_label == "post" else pre_label
        return
    z.label = pre_label
    if not out.label:
        out.label = post_label


class Layer(Module):
    """A layer of units sharing one activation, with its weights laid out as a sheet prints them.

    Build one from matrices with `Layer.from_matrix`, or at random with ``Layer(n_inputs, n_units)``.
    Given micrograd's ``nonlin=``, the layer is built micrograd's way (see nn.micrograd): weights from
    ``random.uniform(-1, 1)``, biases 0, and one unit's output returned as a Value, not a list.

    Args:
        n_inputs: the number of inputs (not counting the constant 1 of a bias row).
        n_units: the number of units.
        activation: a name, a function of a Value, an `nn.activations.Activation`, or None (identity).
        nonlin: micrograd's switch instead of ``activation``: True for ReLU, False for none.
        bias: whether the layer has biases (a separate vector in ``"Wx+b"``, the first row in ``"W^T x"``).
        convention: ``"Wx+b"`` or ``"W^T x"`` (see the module docstring).
        layer: the layer's number (from 1), used in names (W¹₂₁).
        is_output: whether this is the network's output layer (its names come from the notation's
            ``output_pre``/``output_post``, e.g. ŷ).
        notation: an `nn.Notation` or a preset name; None for the default.
        seed: seeds the random initial weights (normal, scaled by √(2/inputs) for relu-like
            activations and √(1/inputs) otherwise; biases start at 0).

    Attributes:
        neurons: the units, in order.
        last_inputs, last_pre, last_post: the Values of the latest forward pass.
        returns_value: calling returns the one unit's Value, not a list (built micrograd's way).
    """

    def __init__(self, n_inputs: int, n_units: int, activation=None, *, nonlin: bool | None = None,
                 bias: bool = True, convention: str = WX_B, layer: int = 1, is_output: bool = False, notation=None,
                 seed: int | None = 0) -> None:
        for what, n in (("n_inputs", n_inputs), ("n_units", n_units)):
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise ValueError(f"{what} must be a whole number ≥ 1, got {n!r}")
        conv = canonical_convention(convention)
        act = _activations.get(_micrograd.choose_activation(activation, nonlin))
        if nonlin is not None:
            W = _micrograd.uniform_weights(n_units, n_inputs)
        else:
            gain = 2.0 if act.name in ("relu", "leaky_relu") else 1.0
            W = np.random.default_rng(seed).normal(0.0, np.sqrt(gain / n_inputs), size=(n_units, n_inputs))
        if conv == WX_B:
            self._setup(W, np.zeros(n_units) if bias else None, act, conv, bias, layer, is_output, notation)
        else:
            W = W.T
            if bias:
                W = np.vstack([np.zeros((1, n_units)), W])
            self._setup(W, None, act, conv, bias, layer, is_output, notation)
        self.returns_value = nonlin is not None and n_units == 1

    @classmethod
    def from_matrix(cls, W, b=None, activation=None, *, convention: str = WX_B, bias_row: bool = True,
                    layer: int = 1, is_output: bool = False, notation=None) -> "Layer":
        """A layer with the weights printed on a sheet.

        Args:
            W: the weight matrix (nested lists or a numpy array): shape (units, inputs) in ``"Wx+b"``;
                (inputs, units) in ``"W^T x"``, or (1 + inputs, units) with the bias as the first row.
            b: the biases, shape (units,) (or (units, 1)), only in ``"Wx+b"``; None for no biases.
                Entries of W and b may be Values: they are then the parameters themselves (shared
                weights; `autograd.gradcheck` over a whole network); unnamed ones get the notation's names.
            activation, layer, is_output, notation: as for `Layer`.
            convention: ``"Wx+b"`` or ``"W^T x"``.
            bias_row: in ``"W^T x"``, whether W's first row is the bias (default True).

        Raises:
            ValueError: W is not a finite 2-D matrix, b has the wrong shape, or b is given in the
                ``"W^T x"`` convention (where the bias is W's first row).
        """
        conv = canonical_convention(convention)
        nota = _naming.get(notation)
        what = f"layer {layer}'s weight matrix {nota.weight_matrix_name(layer)}"
        Wa = as_matrix(W, what)
        self = cls.__new__(cls)
        if conv == WX_B:
            ba = None
            if b is not None:
                ba = as_vector(b, Wa.shape[0], f"layer {layer}'s bias vector {nota.bias_vector_name(layer)}",
                                f"{nota.weight_matrix_name(layer)} has shape {shape_text(Wa)}: {Wa.shape[0]} units × "
                                f"{Wa.shape[1]} inputs in the 'Wx+b' convention")
            self._setup(Wa, ba, _activations.get(activation), conv, ba is not None, layer, is_output, nota)
        else:
            if b is not None:
                raise ValueError(f"layer {layer}: in the 'W^T x' convention the bias is the first row of "
                                 f"{nota.weight_matrix_name(layer)}; put it there (bias_row=True) instead of passing b")
            if bias_row and Wa.shape[0] < 2:
                raise ValueError(f"{what} has shape {shape_text(Wa)}: with the bias as its first row it needs at least "
                                 f"2 rows (bias + one input); pass bias_row=False if it has no bias row")
            self._setup(Wa, None, _activations.get(activation), conv, bias_row, layer, is_output, nota)
        return self

    def _setup(self, W: np.ndarray, b, act, conv: str, bias: bool, layer: int, is_output: bool, notation) -> None:
        if not isinstance(layer, int) or isinstance(layer, bool) or layer < 1:
            raise ValueError(f"layer must be a whole number ≥ 1, got {layer!r}")
        nota = _naming.get(notation)
        self.notation = nota
        self.convention = conv
        self.activation = act
        self.index = layer
        self.is_output = is_output
        self.bias_row = conv == WT_X and bias
        rows, cols = W.shape
        big = rows >= 10 or cols >= 10
        self.W = [[parameter_leaf(W[r, c], nota.weight_name(layer, r + 1, c + 1, big)) for c in range(cols)]
                  for r in range(rows)]
        if conv == WX_B:
            n_units, self.n_inputs = rows, cols
        else:
            n_units, self.n_inputs = cols, rows - (1 if self.bias_row else 0)
        self.n_units = n_units
        self.b = None
        if b is not None:
            self.b = [parameter_leaf(b[u], nota.bias_name(layer, u + 1)) for u in range(n_units)]
        self.input_labels = [nota.input_name(k + 1) for k in range(self.n_inputs)]  # for numbers given as input
        self.pre_labels = [nota.pre_name(layer, u + 1, is_output, n_units) for u in range(n_units)]
        self.post_labels = [nota.post_name(layer, u + 1, is_output, n_units) for u in range(n_units)]
        elementwise = act if act.elementwise else None
        self.neurons = []
        for u in range(n_units):
            ws = self.W[u] if conv == WX_B else [row[u] for row in self.W]
            self.neurons.append(Neuron(ws, self.b[u] if self.b else None, elementwise, bias_row=self.bias_row,
                                       pre_label=self.pre_labels[u], post_label=self.post_labels[u],
                                       identity_label=nota.identity_label))
        self.last_inputs: list = []
        self.last_pre: list[Value] = []
        self.last_post: list[Value] = []
        self.returns_value = False

    # Shapes and names --------------------------------------------------------------------------------

    @property
    def weight_shape(self) -> tuple[int, int]:
        """The shape of W as given: (units, inputs), (inputs, units) or (1 + inputs, units)."""
        return (len(self.W), len(self.W[0]))

    @property
    def weight_name(self) -> str:
        """The name of the whole weight matrix (W¹, W₁, W⁽¹⁾)."""
        return self.notation.weight_matrix_name(self.index)

    @property
    def bias_name(self) -> str:
        """The name of the whole bias vector (b¹, b₁); meaningful only with separate biases."""
        return self.notation.bias_vector_name(self.index)

    def named_parameters(self) -> list[tuple[str, Value]]:
        """W's entries row by row as the matrix is given, then the biases."""
        params = [w for row in self.W for w in row] + (list(self.b) if self.b else [])
        return unique_named(params)

    # Forward -----------------------------------------------------------------------------------------

    def __call__(self, inputs: Sequence) -> Any:
        """The layer's activations for ``inputs``: a list, or (built micrograd's way with one unit) a Value."""
        post = self.forward(inputs)
        return post[0] if self.returns_value else post

    def forward(self, inputs: Sequence) -> list[Value]:
        """The layer's activations for ``inputs`` (Values, or numbers that become named input leaves)."""
        xs = as_inputs(inputs, self.n_inputs, self.input_labels, f"layer {self.index}'s input")
        pre = [n.pre(xs) for n in self.neurons]
        post = self.activation.apply(pre)
        for z, out, pl, ql in zip(pre, post, self.pre_labels, self.post_labels):
            _label_unit(z, out, pl, ql, self.notation.identity_label)
        for n, z, out in zip(self.neurons, pre, post):
            n.last_pre, n.last_post = z, out
        self.last_inputs, self.last_pre, self.last_post = xs, pre, post
        return post

    # Numbers out and in ------------------------------------------------------------------------------

    def weight_matrix(self, grad: bool = False) -> np.ndarray:
        """W (or its gradient, ``grad=True``) as a numpy array, in the shape and convention given."""
        attr = "grad" if grad else "data"
        return np.array([[getattr(w, attr) for w in row] for row in self.W], dtype=float)

    def bias_vector(self, grad: bool = False) -> np.ndarray | None:
        """b (or its gradient) as a numpy array of shape (units,); None without separate biases."""
        if self.b is None:
            return None
        attr = "grad" if grad else "data"
        return np.array([getattr(v, attr) for v in self.b], dtype=float)

    def load(self, W, b=None) -> None:
        """Overwrite the parameters' numbers in place (same shape as given), keeping the Values and names.

        Raises:
            ValueError: a shape differs from the layer's; the message shows expected and received shapes.
        """
        if holds_values(W) or holds_values(b):
            raise TypeError("load takes numbers (it overwrites the existing parameters' data), not Values")
        Wa = as_matrix(W, f"layer {self.index}'s weight matrix {self.weight_name}")
        if Wa.shape != self.weight_shape:
            raise ValueError(f"{self.weight_name} has shape {shape_text(Wa)}, expected {self.weight_shape} "
                             f"(convention {self.convention!r})")
        if (b is None) != (self.b is None):
            raise ValueError(f"layer {self.index} {'has' if self.b else 'has no'} separate biases; "
                             f"{'pass' if self.b else 'do not pass'} b")
        ba = None if b is None else as_vector(b, self.n_units, f"layer {self.index}'s bias vector {self.bias_name}",
                                               f"layer {self.index} has {self.n_units} units")
        for r, row in enumerate(self.W):
            for c, w in enumerate(row):
                w.data = float(Wa[r, c])
        if ba is not None:
            for u, v in enumerate(self.b):
                v.data = float(ba[u])

    def __repr__(self) -> str:
        return (f"Layer({self.index}: {self.n_inputs} → {self.n_units}, {self.activation.name}, "
                f"{self.convention!r}, W shape {self.weight_shape}{', b' if self.b else ''})")
