"""`Neuron`, `Layer` and `MLP`, built from the matrices printed on a problem sheet or at random.

Two conventions for a layer's weights, because sheets differ:

- ``"Wx+b"`` (seed 001, 003): ``z = W x + b``; W has shape (units, inputs), row u holds unit u's
  weights; biases, if any, are a separate vector of shape (units,).
- ``"W^T x"`` (seed 002): ``α = Wᵀ x``; W has shape (inputs, units), column u holds unit u's
  weights. With ``bias_row=True`` (the default) the bias is folded in as the FIRST row of W and a
  constant 1 is put in front of the input, so W has shape (1 + inputs, units).

Either way each unit's pre-activation is ONE `autograd.linear` node (Σ wᵢ·xᵢ + b), so a printout
shows ∂z/∂xᵢ = wᵢ and ∂z/∂wᵢ = xᵢ directly. In the ``"W^T x"`` convention with a bias row, the
constant 1 is a folded constant of that node: α¹₁ = W¹₁₁·1 + W¹₂₁·x₁ + W¹₃₁·x₂.

Every parameter, input and forward node gets a name from the network's `nn.Notation` (W¹₂₁, b¹₁,
z¹₁/α¹₁, a¹₁/β¹₁, ŷ, x₁). Parameters and gradients read back out as numpy matrices in the
convention they were given in. Seed 002 in a few lines:

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
from typing import Sequence

import numpy as np

from autograd import Value, as_float, linear
from autograd.graph import topological_order
from autograd.notation import to_text
from nn import activations as _activations
from nn import naming as _naming
from nn.module import Module

WX_B = "Wx+b"
WT_X = "W^T x"
CONVENTIONS = (WX_B, WT_X)

_CONVENTION_SPELLINGS = {
    "wx+b": WX_B, "wx": WX_B, "z=wx+b": WX_B, "w@x+b": WX_B,
    "w^tx": WT_X, "wᵀx": WT_X, "w^t x": WT_X, "w.tx": WT_X, "w^tx+b": WT_X, "transposed": WT_X,
}


def convention(spec: str) -> str:
    """The canonical name (``"Wx+b"`` or ``"W^T x"``) of a convention written in any usual way.

    >>> convention("W x + b"), convention("Wᵀx"), convention("W^T x")
    ('Wx+b', 'W^T x', 'W^T x')
    """
    if not isinstance(spec, str):
        raise TypeError(f"convention must be a str, 'Wx+b' or 'W^T x', got {spec!r}")
    key = spec.replace(" ", "").lower()
    if key in _CONVENTION_SPELLINGS:
        return _CONVENTION_SPELLINGS[key]
    raise ValueError(f"unknown convention {spec!r}; use 'Wx+b' (W of shape (units, inputs), separate biases) "
                     f"or 'W^T x' (W of shape (inputs, units), bias as the first row)")


_canonical = convention  # parameters named `convention` shadow the function inside methods


def _shape(a: np.ndarray) -> str:
    return "(" + ", ".join(str(n) for n in a.shape) + ("," if a.ndim == 1 else "") + ")"


def _holds_values(x: object) -> bool:
    if isinstance(x, Value):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype == object and any(_holds_values(e) for e in x.flat)
    if isinstance(x, (list, tuple)):
        return any(_holds_values(e) for e in x)
    return False


def _as_matrix(W: object, what: str) -> np.ndarray:
    """A finite 2-D array from numbers, nested lists or an array, or a clear error.

    Entries that are Values are kept (an object array): they become the layer's parameters
    themselves, e.g. to share a weight or to run `autograd.gradcheck` over a whole network.
    """
    if _holds_values(W):
        a = np.array(W, dtype=object)
        if a.ndim != 2 or any(isinstance(e, (list, tuple, np.ndarray)) for e in a.flat):
            raise ValueError(f"{what} must be a rectangular 2-D matrix (rows of equal length), got {W!r}")
        for e in a.flat:
            if not isinstance(e, Value):
                as_float(e, f"an entry of {what}")
        return a
    try:
        a = np.array(W, dtype=float)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{what} must be a rectangular matrix of numbers (rows of equal length), got {W!r} ({e})") from None
    if a.ndim != 2:
        hint = ""
        if a.ndim == 1:
            hint = (f"; write a column as [[{a[0]:g}], [{a[1]:g}], ...] or a row as [[{a[0]:g}, {a[1]:g}, ...]]"
                    if a.size >= 2 else "; write a 1×1 matrix as [[w]]")
        raise ValueError(f"{what} must be a 2-D matrix, got shape {_shape(a)}{hint}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} must hold finite numbers, got {a.tolist()}")
    return a


def _as_vector(b: object, n: int, what: str, context: str) -> np.ndarray:
    if _holds_values(b):
        a = np.array(b if not isinstance(b, Value) else [b], dtype=object)
        for e in a.flat:
            if not isinstance(e, Value):
                as_float(e, f"an entry of {what}")
    else:
        try:
            a = np.array(b, dtype=float)
        except (ValueError, TypeError) as e:
            raise ValueError(f"{what} must be a vector of numbers, got {b!r} ({e})") from None
    if a.shape in ((n,), (n, 1), (1, n)) or (n == 1 and a.shape == ()):
        a = a.reshape(n)
    else:
        raise ValueError(f"{what} has shape {_shape(a)}, expected ({n},): one bias per unit ({context})")
    if a.dtype != object and not np.all(np.isfinite(a)):
        raise ValueError(f"{what} must hold finite numbers, got {a.tolist()}")
    return a


def _parameter(x: object, label: str) -> Value:
    """A parameter leaf: a given Value is used as it is (named if it has no name), a number becomes one."""
    if isinstance(x, Value):
        if x.op:
            raise ValueError(f"a parameter must be a leaf Value, but {x.label or x!r} was computed by {x.op!r}")
        if not x.label:
            x.label = label
        return x
    return Value(float(x), label=label)


def _as_inputs(x: object, n: int, names: Sequence[str], what: str = "the input") -> list:
    """Inputs as a list: Values stay as they are, numbers become leaves named x₁, x₂, ..."""
    if isinstance(x, Value):
        x = [x]
    elif hasattr(x, "shape") and hasattr(x, "tolist"):
        if len(x.shape) > 1 and sum(s != 1 for s in x.shape) > 1:
            raise ValueError(f"{what} must be a vector, got an array of shape {tuple(x.shape)}")
        x = np.asarray(x).reshape(-1).tolist()
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        x = [x]
    x = list(x)
    if len(x) != n:
        shown = ", ".join(names[:n]) if names else f"{n} values"
        raise ValueError(f"{what} has {len(x)} entries, expected {n} ({shown})")
    out = []
    for k, v in enumerate(x):
        if isinstance(v, Value):
            out.append(v)
        else:
            out.append(Value(v, label=names[k] if names else ""))
    return out


class Neuron(Module):
    """One unit: ``activation(Σ wᵢ·xᵢ + b)``, the sum being one `autograd.linear` node.

    Args:
        weights: the weights, as Values (shared with a `Layer`) or numbers (new leaves named w₁, w₂, ...).
        bias: a Value, a number (a new leaf named b) or None for no bias.
        activation: a name from `nn.activations.NAMED`, a function of a Value, or None (identity).
        bias_row: the bias is folded in as the first weight, multiplying a constant 1 put in front of
            the inputs (seed 002's convention); then ``bias`` must be None.
        pre_label, post_label: names for the pre-activation and the activation nodes.
        identity_label: which name a unit whose activation returns its input unchanged carries.

    >>> n = Neuron([0.5, -1.0], bias=0.25, activation="relu", pre_label="z", post_label="a")
    >>> out = n([2.0, 0.5]); (out.label, out.data, n.last_pre.label, n.last_pre.data)
    ('a', 0.75, 'z', 0.75)
    """

    def __init__(self, weights: Sequence, bias=None, activation=None, *, bias_row: bool = False,
                 pre_label: str = "", post_label: str = "", identity_label: str = "pre") -> None:
        weights = list(weights)
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
        xs = _as_inputs(inputs, self.n_inputs, [], "the neuron's input")
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

    Args:
        n_inputs: the number of inputs (not counting the constant 1 of a bias row).
        n_units: the number of units.
        activation: a name, a function of a Value, an `nn.activations.Activation`, or None (identity).
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
    """

    def __init__(self, n_inputs: int, n_units: int, activation=None, *, bias: bool = True,
                 convention: str = WX_B, layer: int = 1, is_output: bool = False, notation=None,
                 seed: int | None = 0) -> None:
        for what, n in (("n_inputs", n_inputs), ("n_units", n_units)):
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise ValueError(f"{what} must be a whole number ≥ 1, got {n!r}")
        conv = _canonical(convention)
        act = _activations.get(activation)
        rng = np.random.default_rng(seed)
        gain = 2.0 if act.name in ("relu", "leaky_relu") else 1.0
        W = rng.normal(0.0, np.sqrt(gain / n_inputs), size=(n_units, n_inputs))
        if conv == WX_B:
            self._setup(W, np.zeros(n_units) if bias else None, act, conv, bias, layer, is_output, notation)
        else:
            W = W.T
            if bias:
                W = np.vstack([np.zeros((1, n_units)), W])
            self._setup(W, None, act, conv, bias, layer, is_output, notation)

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
        conv = _canonical(convention)
        nota = _naming.get(notation)
        what = f"layer {layer}'s weight matrix {nota.weight_matrix_name(layer)}"
        Wa = _as_matrix(W, what)
        self = cls.__new__(cls)
        if conv == WX_B:
            ba = None
            if b is not None:
                ba = _as_vector(b, Wa.shape[0], f"layer {layer}'s bias vector {nota.bias_vector_name(layer)}",
                                f"{nota.weight_matrix_name(layer)} has shape {_shape(Wa)}: {Wa.shape[0]} units × "
                                f"{Wa.shape[1]} inputs in the 'Wx+b' convention")
            self._setup(Wa, ba, _activations.get(activation), conv, ba is not None, layer, is_output, nota)
        else:
            if b is not None:
                raise ValueError(f"layer {layer}: in the 'W^T x' convention the bias is the first row of "
                                 f"{nota.weight_matrix_name(layer)}; put it there (bias_row=True) instead of passing b")
            if bias_row and Wa.shape[0] < 2:
                raise ValueError(f"{what} has shape {_shape(Wa)}: with the bias as its first row it needs at least "
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
        self.W = [[_parameter(W[r, c], nota.weight_name(layer, r + 1, c + 1, big)) for c in range(cols)]
                  for r in range(rows)]
        if conv == WX_B:
            n_units, self.n_inputs = rows, cols
        else:
            n_units, self.n_inputs = cols, rows - (1 if self.bias_row else 0)
        self.n_units = n_units
        self.b = None
        if b is not None:
            self.b = [_parameter(b[u], nota.bias_name(layer, u + 1)) for u in range(n_units)]
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
        return _unique(params)

    # Forward -----------------------------------------------------------------------------------------

    def __call__(self, inputs: Sequence) -> list[Value]:
        """The layer's activations for ``inputs`` (Values, or numbers that become named input leaves)."""
        xs = _as_inputs(inputs, self.n_inputs, self.input_labels, f"layer {self.index}'s input")
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
        if _holds_values(W) or _holds_values(b):
            raise TypeError("load takes numbers (it overwrites the existing parameters' data), not Values")
        Wa = _as_matrix(W, f"layer {self.index}'s weight matrix {self.weight_name}")
        if Wa.shape != self.weight_shape:
            raise ValueError(f"{self.weight_name} has shape {_shape(Wa)}, expected {self.weight_shape} "
                             f"(convention {self.convention!r})")
        if (b is None) != (self.b is None):
            raise ValueError(f"layer {self.index} {'has' if self.b else 'has no'} separate biases; "
                             f"{'pass' if self.b else 'do not pass'} b")
        ba = None if b is None else _as_vector(b, self.n_units, f"layer {self.index}'s bias vector {self.bias_name}",
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


def _per_layer(spec, n: int, what: str) -> list:
    if isinstance(spec, (list, tuple)):
        if len(spec) != n:
            raise ValueError(f"{what} has {len(spec)} entries, expected one per layer ({n})")
        return list(spec)
    return [spec] * n


class MLP(Module):
    """A multi-layer perceptron: layers applied one after the other.

    Build one from a sheet's matrices with `MLP.from_matrices`, or at random with ``MLP(sizes)``.

    Args:
        sizes: the number of inputs, then the number of units of each layer: ``[2, 16, 16, 1]``.
        activations: one activation for every layer, or a list with one per layer. Default: relu for
            the hidden layers, identity for the output layer.
        bias: whether the layers have biases.
        convention, notation, seed: as for `Layer` (layer l is seeded with ``seed + l``).

    Attributes:
        layers: the layers, in order.
        notation: the `nn.Notation` names come from.
        last_inputs: the input Values of the latest forward pass.
    """

    def __init__(self, sizes: Sequence[int], activations=None, *, bias: bool = True, convention: str = WX_B,
                 notation=None, seed: int | None = 0) -> None:
        sizes = list(sizes)
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
        conv = _canonical(convention)
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
        return _unique([p for layer in self.layers for p in layer.parameters()])

    def __call__(self, x) -> list[Value]:
        """The network's outputs (always a list: ``y_hat, = net(x)`` for one output).

        Args:
            x: the input, as numbers (they become leaves named x₁, x₂, ... by the notation) or Values
                (used as they are, names untouched).

        Raises:
            ValueError: x has the wrong number of entries.
        """
        xs = _as_inputs(x, self.n_inputs, self.input_labels, "the network's input")
        self.last_inputs = xs
        out = xs
        for layer in self.layers:
            out = layer(out)
        return out

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


def _unique(params: list[Value]) -> list[tuple[str, Value]]:
    """(label, parameter) pairs, each parameter once (a Value shared by two places is one parameter)."""
    seen: set[int] = set()
    out = []
    for p in params:
        if id(p) not in seen:
            seen.add(id(p))
            out.append((p.label, p))
    return out


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
