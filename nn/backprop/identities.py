"""Seed 000's identities, derived step by step in index form and then written in matrix form, for a
network without biases whose output has no activation (a⁽ᴸ⁾ = W⁽ᴸ⁾a⁽ᴸ⁻¹⁾) and a generic loss l_y:

    β_L = ∇l_y(a⁽ᴸ⁾)                     kept as it is: the loss is generic,
    ∂φ_L/∂W⁽ᴸ⁾ᵢⱼ = a⁽ᴸ⁻¹⁾ⱼ β_L,ᵢ        so ∂φ_L/∂W⁽ᴸ⁾ = β_L a⁽ᴸ⁻¹⁾ᵀ,
    β_l,ᵢ = Σⱼ W⁽ˡ⁺¹⁾ⱼᵢ β_{l+1},ⱼ          so β_l = W⁽ˡ⁺¹⁾ᵀ β_{l+1} (times σ′(z⁽ˡ⁺¹⁾) below a hidden layer),
    ∂φ_l/∂W⁽ˡ⁾ᵢⱼ = β_l,ᵢ σ′(z⁽ˡ⁾ᵢ) a⁽ˡ⁻¹⁾ⱼ   so ∂φ_l/∂W⁽ˡ⁾ = (β_l ⊙ σ′(z⁽ˡ⁾)) a⁽ˡ⁻¹⁾ᵀ.

β_l is the gradient with respect to the activation a⁽ˡ⁾ (after σ), as on the sheet. Each matrix form
is then evaluated with the problem's concrete loss and checked against the engine.
"""

from __future__ import annotations

import numpy as np

from autograd.derive.model import Equations, Line, MatrixEquation
from nn.backprop.activations import prime_values
from nn.backprop.names import ODOT, F, cat, derivative, transpose
from nn.backprop.numbers import check
from nn.backprop.output_error import loss_gradient
from nn.conventions import WX_B

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def is_identity_network(net) -> bool:
    """Seed 000's kind of network: z = W x, no biases, an identity output, element-wise hidden layers."""
    return (len(net.layers) >= 2 and all(layer.convention == WX_B and layer.b is None for layer in net.layers)
            and net.layers[-1].activation.name == "identity"
            and all(layer.activation.elementwise for layer in net.layers))


def _beta(l: int, index: str = "") -> object:
    sub = str(l).translate(_SUBSCRIPTS)
    script = index.translate(str.maketrans("ijm", "ᵢⱼₘ"))
    return F(f"β{sub}" + (f",{script}" if index else ""), rf"\beta_{{{l}" + (f",{index}}}" if index else "}"))


def _entry(f, index: str):
    """``W⁽²⁾ᵢⱼ`` / ``{W^{(2)}}_{ij}``: an entry of a named matrix or vector."""
    script = index.translate(str.maketrans("ijm", "ᵢⱼₘ"))
    return F(f"{f.text}{script}", f"{{{f.latex}}}_{{{index}}}")


def identities(names, net, derivs, run, style) -> list:
    """Blocks deriving the identities for every layer, from the output down, with numbers."""
    L = len(net.layers)
    s = run.samples[0]
    phi = [F(f"φ{str(l).translate(_SUBSCRIPTS)}", rf"\varphi_{{{l}}}") for l in range(L + 1)]
    aL = names.post(L)
    blocks: list = [Line([]), Line(["5. The identities of the sheet (no biases, no activation at the output, a generic "
                          "loss l_y), in index form and then in matrix form:"]),
                    Equations([([_beta(L), cat(F("∇l_y(", r"\nabla l_y("), aL, ")")],
                                ["kept as it is: the loss is generic"])], ["", "", ""])]
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    beta = {L: loss_gradient(run.loss_name, s.post[-1], s.y)}
    blocks.append(MatrixEquation([[_beta(L)], [style.matrix(beta[L])]],
                                 ["with this problem's loss; "] + check(beta[L], s.post_grad[-1], [derivative(names.loss, aL)])))
    for l in range(L, 0, -1):
        W, a_prev, z = names.weight(l), names.post(l - 1), names.pre(l)
        d = derivs[l - 1]
        hidden = d is not None and not d.is_identity
        sigma = F("σ′", "\\sigma'")
        # ∂φ_l/∂W⁽ˡ⁾
        local = [_entry(a_prev, "j")] if not hidden else [sigma, "(", _entry(z, "i"), ")", F("·", r" \cdot "), _entry(a_prev, "j")]
        blocks.append(Line([f"({next(letters)}) ", phi[l], " = l_y ∘ … as a function of ", W, ": ",
                            _entry(z, "m"), " = Σⱼ ", _entry(W, "mj"), " ", _entry(a_prev, "j"), ", so ∂",
                            _entry(aL if not hidden else names.post(l), "m"), "/∂", _entry(W, "ij"),
                            " = [m = i] ", *local, ", and by the chain rule:"]))
        index = cat(F(f"∂{phi[l].text}/∂", rf"\frac{{\partial {phi[l].latex}}}{{\partial "), _entry(W, "ij"),
                    F("", "}"))
        rhs = cat(_beta(l, "i"), *([" ", sigma, "(", _entry(z, "i"), ")"] if hidden else []),
                  " ", _entry(a_prev, "j"))
        matrix_rhs = cat(_beta(l), " ", transpose(a_prev)) if not hidden else \
            cat("(", _beta(l), ODOT, sigma, "(", z, ")) ", transpose(a_prev))
        whole = F(f"∂{phi[l].text}/∂{W.text}", rf"\frac{{\partial {phi[l].latex}}}{{\partial {W.latex}}}")
        blocks.append(Equations([([index, cat(F("Σₘ ", r"\sum_m "), _beta(l, "m"), " [m = i] ", *local), rhs], ["index form"]),
                                 ([whole, matrix_rhs], ["matrix form"])], ["", "", "", ""]))
        prime = prime_values(d, s.pre[l - 1]) if hidden else np.ones_like(s.pre[l - 1])
        value = np.outer(beta[l] * prime, s.inputs[l - 1])
        blocks.append(MatrixEquation([[whole], [matrix_rhs], [style.matrix(value)]],
                                     check(value, run.weight_grads[l - 1], [derivative(names.loss, W)])))
        if l > 1:
            a = names.post(l - 1)
            carried = cat(_beta(l), ODOT, sigma, "(", z, ")") if hidden else _beta(l)
            blocks.append(Line([f"({next(letters)}) ", _beta(l - 1), " = ∇(l_y ∘ …)(", a, "), the gradient with respect to ", a, ": ", _entry(z, "j"), " = Σᵢ ",
                                _entry(W, "ji"), " ", _entry(a, "i"), ", so by the chain rule:"]))
            blocks.append(Equations([([_beta(l - 1, "i"), cat(F("Σⱼ ", r"\sum_j "), _entry(W, "ji"), " ",
                                                               _beta(l, "j") if not hidden else cat("(", carried, ")ⱼ"))],
                                      ["index form"]),
                                     ([_beta(l - 1), cat(transpose(W), " ", carried if not hidden else cat("(", carried, ")"))],
                                      ["matrix form"])], ["", "", "", ""]))
            beta[l - 1] = run.weights[l - 1].T @ (beta[l] * prime)
            blocks.append(MatrixEquation([[_beta(l - 1)], [style.matrix(beta[l - 1])]],
                                         check(beta[l - 1], s.post_grad[l - 2], [derivative(names.loss, a)])))
    if derivs[0] is not None and derivs[0].name != "σ":
        blocks.append(Line([f"Here σ is {derivs[0].name}: σ′(z) = {derivs[0].text}."]))
    return blocks
