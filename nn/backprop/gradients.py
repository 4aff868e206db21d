"""The parameter gradients from the error terms: ∂ℓ/∂Wˡ = δˡ hˡ⁻¹ᵀ and ∂ℓ/∂bˡ = δˡ for z = W x + b;
∂ℓ/∂Wˡ = [1; hˡ⁻¹] δˡᵀ for α = Wᵀ[1; x] (the bias row first); summed over the samples (the samples
as columns: Σᵢ δᵢ hᵢᵀ = Δ Hᵀ), plus λWˡ when the loss has an L2 term. Each evaluated and checked
against the engine's gradients of the parameters.
"""

from __future__ import annotations

import numpy as np

from autograd.derive.model import Line, MatrixEquation
from nn.backprop.names import PLUS, F, cat, derivative, transpose
from nn.backprop.numbers import check, columns
from nn.conventions import WX_B


def layer_input(layer, h: np.ndarray) -> np.ndarray:
    """What W multiplies: h, or [1; h] with a bias row."""
    return np.concatenate([[1.0], h]) if layer.convention != WX_B and layer.bias_row else h


def input_formula(names, layer):
    h = names.post(layer.index - 1)
    if layer.convention != WX_B and layer.bias_row:
        return cat("[1; ", h, "]")
    return h


def l2_formula(names, l: int, l2: float, half: bool):
    lam = F("λ", r"\lambda") if half else F("2λ", r"2\lambda")
    return cat(PLUS, lam, names.weight(l))


def parameter_gradients(names, net, samples, deltas, run, style, l2: float = 0.0, l2_half: bool = True) -> list:
    """Blocks for ∂ℓ/∂W and ∂ℓ/∂b of every layer, from the output layer down."""
    blocks: list = []
    many = len(samples) > 1
    total = F("Σᵢ ", r"\sum_{i} ") if many else F("")
    if many:
        blocks.append(Line([f"Over the N = {len(samples)} samples, each product is summed: Σᵢ δᵢ hᵢᵀ = Δ Hᵀ, "
                            "with the samples as the columns of Δ and H."]))
    if l2:
        blocks.append(Line([f"The L2 term {'(λ/2)' if l2_half else 'λ'}·ΣW² adds {'λ' if l2_half else '2λ'}W to each "
                            f"weight gradient (λ = {style.text(l2)}; biases are not penalised)."]))
    for l in range(len(net.layers), 0, -1):
        layer = net.layers[l - 1]
        D = columns(deltas[l - 1])
        H = columns([layer_input(layer, s.inputs[l - 1]) for s in samples])
        bias_first = layer.convention != WX_B
        if bias_first:  # W is (inputs, units): ∂ℓ/∂W = [1; h] δᵀ
            rule = cat(total, input_formula(names, layer), " ", transpose(names.delta(l)))
            value, scale = H @ D.T, np.abs(H) @ np.abs(D.T)
            numbers = [style.matrix(H), style.matrix(D.T)]
        else:
            rule = cat(total, names.delta(l), " ", transpose(input_formula(names, layer)))
            value, scale = D @ H.T, np.abs(D) @ np.abs(H.T)
            numbers = [style.matrix(D), style.matrix(H.T)]
        if l2:
            lam = l2 if l2_half else 2 * l2
            rule = cat(rule, l2_formula(names, l, l2, l2_half))
            numbers += [F(f" + {style.text(lam)}·"), style.matrix(run.weights[l - 1])]
            value = value + lam * run.weights[l - 1]
            scale = scale + np.abs(lam * run.weights[l - 1])
        W = names.weight(l)
        blocks.append(MatrixEquation([[derivative(names.loss, W)], [rule], numbers, [style.matrix(value)]],
                                     check(value, run.weight_grads[l - 1], [derivative(names.loss, W)], scale)))
        if layer.b is not None:
            b = names.bias(l)
            bias = D.sum(axis=1)
            sides = [[derivative(names.loss, b)], [cat(total, names.delta(l))]]
            if many:
                sides.append([style.matrix(D), F(" summed over the columns")])
            blocks.append(MatrixEquation(sides + [[style.matrix(bias)]],
                                         check(bias, run.bias_grads[l - 1], [derivative(names.loss, b)],
                                               np.abs(D).sum(axis=1))))
    return blocks
