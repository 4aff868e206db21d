"""The error terms of the hidden layers, from the output back: δˡ = (Wˡ⁺¹ᵀ δˡ⁺¹) ⊙ f′(zˡ) for
z = W x + b, δˡ = (W̄ˡ⁺¹ δˡ⁺¹) ⊙ f′(αˡ) for α = Wᵀ[1; x] (W̄: W without its bias row, and no
transpose), J_f(zˡ)ᵀ(…) for softmax; f′ is the layer's one symbolic derivative, shown once with its
value per unit. Every δ is evaluated and checked against the engine's gradient of the pre-activations.
"""

from __future__ import annotations

import numpy as np

from autograd.derive.model import Equations, Line, MatrixEquation
from nn.backprop.activations import prime_values, softmax_jacobian
from nn.backprop.names import ODOT, F, cat, derivative, transpose
from nn.backprop.numbers import check, columns
from nn.conventions import WX_B


def back_matrix(layer, W: np.ndarray) -> np.ndarray:
    """The matrix that carries layer l+1's δ back to layer l's activations: Wᵀ for z = W x + b, W̄
    (W without its bias row) for α = Wᵀ[1; x], W itself for α = Wᵀx without a bias row."""
    if layer.convention == WX_B:
        return W.T
    return W[1:] if layer.bias_row else W


def back_formula(names, layer):
    """``W₂ᵀ``, ``W̄²`` or ``W²``: the same matrix as a formula."""
    if layer.convention == WX_B:
        return transpose(names.weight(layer.index))
    return names.weight_bar(layer.index) if layer.bias_row else names.weight(layer.index)


def prime_line(names, d, l: int, samples, style) -> list:
    """``f′(z) = [z > 0] + cos(z)``, then f′(z⁽ˡ⁾) evaluated per unit (one column per sample)."""
    z = names.pre(l)
    values = columns([prime_values(d, s.pre[l - 1]) for s in samples])
    what = f"{d.name}({d.variable}) = {d.function().text}" if d.name.startswith("f") else d.name
    return [Equations([([d.prime(), d.formula()], [f"the derivative of {what}, by the chain rule from the rule table"])],
                      ["", "", ""]),
            MatrixEquation([[d.prime(z)], [d.formula(at=z)], [style.matrix(values)]])]


def hidden_errors(names, net, derivs, samples, weights, output_deltas, style) -> tuple[list, list]:
    """Blocks for δ of layers L−1 … 1, and δ per layer per sample (index l − 1)."""
    L = len(net.layers)
    deltas: list = [None] * L
    deltas[L - 1] = list(output_deltas)
    blocks: list = []
    for l in range(L - 1, 0, -1):
        above, d = net.layers[l], derivs[l - 1]
        B = back_matrix(above, weights[l])
        Bf = back_formula(names, above)
        carried = cat("(", Bf, " ", names.delta(l + 1), ")")
        if d is None:
            rule = cat(transpose(cat(F("J_softmax(", r"J_{\operatorname{softmax}}("), names.pre(l), ")")), " ", carried)
        elif d.is_identity:
            rule = carried
        else:
            rule = cat(carried, ODOT, d.prime(names.pre(l)))
        why = ("z = W x + b: going back multiplies by Wᵀ" if above.convention == WX_B else
               f"α = Wᵀ[1; x]: going back uses {Bf.text}, {names.weight(l + 1).text} without its first (bias) row, "
               f"and no transpose" if above.bias_row else "α = Wᵀx: going back uses W without a transpose")
        blocks += [Line([]), Line([f"Layer {l}: ", names.delta(l), " = ", derivative(names.loss, names.pre(l)),
                            f" ({why}; {'softmax is not element-wise: its Jacobian J = diag(h) − h hᵀ' if d is None else 'f′ applies unit by unit'})"])]
        blocks.append(Equations([([names.delta(l), rule], [])], ["", ""]))
        if d is not None and not d.is_identity:
            blocks.extend(prime_line(names, d, l, samples, style))
        mine, scales, primes = [], [], []
        for s, above_delta in zip(samples, deltas[l]):
            g = B @ above_delta
            scale = np.abs(B) @ np.abs(above_delta)
            if d is None:
                J = softmax_jacobian(s.post[l - 1])
                mine.append(J.T @ g)
                scales.append(np.abs(J.T) @ scale)
            else:
                p = prime_values(d, s.pre[l - 1])
                primes.append(p)
                mine.append(g * p)
                scales.append(scale * np.abs(p))
        deltas[l - 1] = mine
        up = columns(deltas[l])
        numbers = [style.matrix(B)]
        shown = style.text(up[0, 0])
        numbers += [F(f"·({shown.replace('-', '−')})", rf" \cdot ({shown})")] if up.size == 1 else [style.matrix(up)]
        if d is not None and not d.is_identity:
            numbers += [ODOT, style.matrix(columns(primes))]
        elif d is None:
            numbers = [F("J_softmaxᵀ ", r"J_{\operatorname{softmax}}^\top ")] + numbers
        value = columns(mine)
        blocks.append(MatrixEquation([[names.delta(l)], [rule], numbers, [style.matrix(value)]],
                                     check(value, columns([s.pre_grad[l - 1] for s in samples]),
                                           [derivative(names.loss, names.pre(l))], columns(scales))))
    return blocks, deltas
