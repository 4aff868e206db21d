"""The unrolled closed forms: every layer's gradient written out from the output error, as seed 003's
sheet writes them, for every layer l = L … 1 (for l = L the product is replaced by 1):

    ∇_{b_l}C = Σᵢ cᵢ (W_L D_{L−1} ⋯ W_{l+1} D_l)ᵀ = Σᵢ cᵢ D_l W_{l+1}ᵀ ⋯ D_{L−1} W_Lᵀ,
    ∇_{W_l}C = Σᵢ cᵢ D_l W_{l+1}ᵀ ⋯ D_{L−1} W_Lᵀ z_{l−1}ᵀ,

with D_j = diag(f′(z_j)) (diag(pos(z_j)) for relu, J_softmax(z_j)ᵀ for softmax, nothing for identity)
and cᵢ the output error of sample i (a number for one output: −yᵢ/(1 + exp(yᵢ f_L)) for the logistic
loss; for several outputs the vector δ_L stands at the right end). With α = Wᵀ[1; x] the matrices
are the W̄ without a transpose and the weight gradient is [1; z_{l−1}] (…)ᵀ. Each is evaluated as an
explicit matrix product per sample, summed, and checked against the engine.
"""

from __future__ import annotations

import numpy as np

from autograd.derive.model import Equations, Line, MatrixEquation
from nn.backprop.activations import prime_values, softmax_jacobian
from nn.backprop.gradients import input_formula, layer_input
from nn.backprop.names import F, cat, transpose
from nn.backprop.numbers import check
from nn.backprop.recursion import back_formula, back_matrix
from nn.conventions import WX_B


def nabla(of, wrt):
    return F(f"∇_{{{wrt.text}}} {of.text}", rf"\nabla_{{{wrt.latex}}} {of.latex}")


def _diag(names, net, derivs, j: int):
    """D_j as a formula, or None for an identity activation."""
    d = derivs[j - 1]
    if d is None:
        return transpose(cat(F("J_softmax(", r"J_{\operatorname{softmax}}("), names.pre(j), ")"))
    if d.is_identity:
        return None
    if net.layers[j - 1].activation.name == "relu":
        return cat(F("diag(pos(", r"\operatorname{diag}(\operatorname{pos}("), names.post(j), "))")
    return cat(F("diag(", r"\operatorname{diag}("), d.prime(names.pre(j)), ")")


def _d_matrix(derivs, j: int, s) -> np.ndarray | None:
    d = derivs[j - 1]
    if d is None:
        return softmax_jacobian(s.post[j - 1]).T
    if d.is_identity:
        return None
    return np.diag(prime_values(d, s.pre[j - 1]))


def _join(parts):
    out = parts[0]
    for p in parts[1:]:
        out = cat(out, " ", p)
    return out


def closed_forms(names, net, derivs, samples, output, run, style, l2: float = 0.0, l2_half: bool = True) -> list:
    """Blocks for every layer's closed form, from l = L down to 1."""
    L = len(net.layers)
    k = samples[0].y.size
    many = len(samples) > 1
    total = F("Σᵢ ", r"\sum_{i=1}^{N} ") if many else F("")
    sub = F("ᵢ", "_i") if many else F("")
    c = cat(F("c"), sub)
    blocks: list = []
    coefficient = output.simplified[0] if output.simplified else output.general
    if k == 1:
        blocks.append(Equations([([c, names.delta(L), coefficient], [])], ["", "", ""]))
    if any(layer.activation.name == "relu" for layer in net.layers):
        blocks.append(Line(["pos(v)ⱼ = 1 if vⱼ > 0, else 0: for a relu layer pos(", names.post(1), ") = relu′(",
                            names.pre(1), ") unit by unit (relu′(0) = 0)."]))
    if many:
        blocks.append(Line([f"i runs over the N = {len(samples)} samples; every factor is taken at sample i."]))
    for l in range(L, 0, -1):
        expanded, product = [], []  # D_l B_{l+1} D_{l+1} ⋯ B_L, and W_L D_{L−1} ⋯ W_{l+1} D_l
        for j in range(l, L):
            D = _diag(names, net, derivs, j)
            if D is not None:
                expanded.append(D)
            expanded.append(back_formula(names, net.layers[j]))
        for j in range(L, l, -1):
            product.append(names.weight(j))
            D = _diag(names, net, derivs, j - 1)
            if D is not None and derivs[j - 2] is not None:
                product.append(D)
        lead = [c] if k == 1 else []
        tail = [] if k == 1 else [names.delta(L)]
        forms = [cat(total, _join(lead + expanded + tail))] if expanded or tail else [cat(total, c)]
        if k == 1 and product and net.layers[0].convention == WX_B and all(d is not None for d in derivs[l - 1:L - 1]):
            forms.insert(0, cat(total, c, " ", transpose(cat("(", _join(product), ")"))))
        value_b, value_w, scale_b, scale_w = 0.0, 0.0, 0.0, 0.0
        for s, delta in zip(samples, output.values):
            M = np.eye(net.layers[l - 1].n_units)
            for j in range(l, L):
                D = _d_matrix(derivs, j, s)
                if D is not None:
                    M = M @ D
                M = M @ back_matrix(net.layers[j], run.weights[j])
            v = M @ delta
            h = layer_input(net.layers[l - 1], s.inputs[l - 1])
            value_b = value_b + v
            scale_b = scale_b + np.abs(M) @ np.abs(delta)
            outer = np.outer(h, v) if net.layers[l - 1].convention != WX_B else np.outer(v, h)
            value_w = value_w + outer
            scale_w = scale_w + np.abs(outer)
        layer = net.layers[l - 1]
        note = " (the product is replaced by 1)" if l == L else ""
        if layer.b is not None:
            b = names.bias(l)
            blocks.append(MatrixEquation([[nabla(names.loss, b)], *[[f] for f in forms], [style.matrix(value_b)]],
                                         ([note.strip() + " "] if note else [])
                                         + check(value_b, run.bias_grads[l - 1], [nabla(names.loss, b)], scale_b)))
        W = names.weight(l)
        h = input_formula(names, layer)
        if layer.convention == WX_B:
            wform = cat(forms[-1], " ", transpose(h))
        else:
            inner = _join(lead + expanded + tail)
            wform = cat(total, h, " ", inner if l == L and k == 1 else transpose(cat("(", inner, ")")))
        if l2:
            lam = l2 if l2_half else 2 * l2
            wform = cat(wform, F(" + λ" if l2_half else " + 2λ", r" + \lambda " if l2_half else r" + 2\lambda "), W)
            value_w = value_w + lam * run.weights[l - 1]
            scale_w = scale_w + np.abs(lam * run.weights[l - 1])
        blocks.append(MatrixEquation([[nabla(names.loss, W)], [wform], [style.matrix(value_w)]],
                                     ([note.strip() + " "] if note and layer.b is None else [])
                                     + check(value_w, run.weight_grads[l - 1], [nabla(names.loss, W)], scale_w)))
    return blocks
