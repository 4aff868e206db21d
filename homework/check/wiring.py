"""How a solved network is wired, as the mistakes a student makes with it need to know: which weight
sits at which row and column of its matrix, which unit and which input it joins, which activation
belongs to which pre-activation, and each layer's f (σ, tanh, f for a formula).

Read off the network (nn) and the samples' recorded nodes (`homework.solution.SampleRun`); nothing
here computes a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.notation import to_text
from nn.backprop.activations import layer_derivatives
from nn.conventions import WX_B


@dataclass(frozen=True)
class Weight:
    """A weight's place: layer (from 1), row and column as the matrix is typed (from 0), the unit it
    feeds (from 0), the input it multiplies (from 0; None for a bias), and whether its layer keeps
    the bias as the first row (α = Wᵀ[1; x])."""

    layer: int
    row: int
    col: int
    unit: int
    input: int | None
    bias_row: bool


class Wiring:
    """The network of a solution, wired: see the module docstring."""

    def __init__(self, solution) -> None:
        net = solution.net
        self.layers = net.layers
        self.place: dict[int, Weight] = {}
        self.matrix: dict[int, list] = {}  # layer -> rows of weight Values, as typed
        for layer in net.layers:
            self.matrix[layer.index] = layer.W
            for r, row in enumerate(layer.W):
                for c, w in enumerate(row):
                    if layer.convention == WX_B:
                        unit, inp = r, c
                    else:
                        unit, inp = c, (r - 1 if layer.bias_row else r)
                    self.place[id(w)] = Weight(layer.index, r, c, unit, inp if inp >= 0 else None, layer.bias_row)
            for u, b in enumerate(layer.b or ()):
                self.place[id(b)] = Weight(layer.index, -1, u, u, None, False)
        self.pre_of: dict[int, object] = {}  # activation -> its pre-activation (element-wise units)
        self.post_of: dict[int, object] = {}
        self.layer_of: dict[int, int] = {}  # unit node (pre or post) -> its layer
        self.units: dict[int, tuple] = {}  # pre-activation -> (layer, unit, inputs of that sample)
        elementwise = {layer.index: layer.activation.elementwise for layer in net.layers}
        for run in solution.runs:
            for l, (pre, post) in enumerate(zip(run.pre, run.post), start=1):
                inputs = run.inputs if l == 1 else run.post[l - 2]
                for u, (z, h) in enumerate(zip(pre, post)):
                    self.units[id(z)] = (l, u, inputs)
                    self.layer_of[id(z)] = self.layer_of[id(h)] = l
                    if z is not h and elementwise[l]:
                        self.pre_of[id(h)], self.post_of[id(z)] = z, h
        self.f_names = {layer.index: (d.name if d is not None else "softmax")
                        for layer, d in zip(net.layers, layer_derivatives(net))}

    def weight(self, layer: int, row: int, col: int):
        """The weight at (row, col) of layer's matrix as typed (from 0), or None outside it."""
        rows = self.matrix.get(layer)
        if rows is None or not (0 <= row < len(rows) and 0 <= col < len(rows[0])):
            return None
        return rows[row][col]

    def transposed(self, w):
        """W^l_{ji} for W^l_{ij}: None for a bias, a diagonal entry or an entry outside the matrix."""
        p = self.place.get(id(w))
        if p is None or p.row < 0 or p.row == p.col:
            return None
        return self.weight(p.layer, p.col, p.row)

    def figure_label(self, w):
        """The weight a figure that leaves the bias row out labels as ``w``'s name: W^l_{i+1,j} for
        W^l_{ij} in a bias-first layer (seed 002's figure puts W²₁₁ on β¹₁'s edge), else None."""
        p = self.place.get(id(w))
        if p is None or not p.bias_row:
            return None
        return self.weight(p.layer, p.row + 1, p.col)

    def input_of(self, z, w):
        """The node weight ``w`` multiplies in unit ``z`` (None: the constant 1 of a bias)."""
        p, unit = self.place.get(id(w)), self.units.get(id(z))
        if p is None or unit is None or p.input is None:
            return None
        return unit[2][p.input]

    def weight_on(self, z, h):
        """The weight that multiplies input node ``h`` in unit ``z``, or None."""
        unit = self.units.get(id(z))
        if unit is None:
            return None
        l, u, inputs = unit
        for k, x in enumerate(inputs):
            if x is h:
                layer = self.layers[l - 1]
                if layer.convention == WX_B:
                    return self.weight(l, u, k)
                return self.weight(l, k + (1 if layer.bias_row else 0), u)
        return None

    def weight_one_row_up(self, z, h):
        """In a bias-first layer, the weight one row above the one on input ``h``'s edge: the
        weight a student uses who reads row i as input i (the bias row left out of the count)."""
        w = self.weight_on(z, h)
        p = self.place.get(id(w)) if w is not None else None
        if p is None or not p.bias_row:
            return None
        return self.weight(p.layer, p.row - 1, p.col)

    def f_prime(self, pre) -> str:
        """The derivative's name at a pre-activation: σ′(α¹₁), f′(z⁽¹⁾₁)."""
        return f"{self.f_names.get(self.layer_of.get(id(pre), 0), 'f')}′({to_text(pre.label)})"

    def f_name(self, pre) -> str:
        return self.f_names.get(self.layer_of.get(id(pre), 0), "f")
