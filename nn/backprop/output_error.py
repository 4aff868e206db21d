"""The output error δᴸ = ∂ℓ/∂zᴸ: the general chain, and for the (output activation, loss) pairs
whose product simplifies, the simplified form — each evaluated per sample.

The table (the losses by the names problem files use; ŷ is the network's output, y the target):

========================  ==================================  ============================================
output activation         loss                                δᴸ
========================  ==================================  ============================================
softmax                   cross_entropy_from_probabilities    ŷ − y when Σy = 1, else (Σy)ŷ − y
identity                  cross_entropy (softmax inside)      softmax(z) − y when Σy = 1, else (Σy)softmax(z) − y
softmax                   cross_entropy                       none: a double softmax (general chain, warned)
sigmoid                   binary_cross_entropy                ŷ − y
identity                  logistic                            −y/(1 + exp(y f)) = −y σ(−y f)
identity / sigmoid        squared_error (½Σ)                  ŷ − y / (ŷ − y) ⊙ ŷ ⊙ (1 − ŷ)
identity / sigmoid        mse ((1/k)Σ, no ½)                  (2/k)(ŷ − y) / (2/k)(ŷ − y) ⊙ ŷ ⊙ (1 − ŷ)
========================  ==================================  ============================================

Any other pair shows the general chain ∂ℓ/∂ŷ ⊙ f′(z) (J_f(z)ᵀ ∂ℓ/∂ŷ for softmax) and nothing else. A
mean over N samples puts 1/N in front; a sum puts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn.backprop.activations import prime_values, softmax_jacobian
from nn.backprop.names import MINUS, ODOT, OSLASH, F, cat, transpose

SIMPLIFIED = {("softmax", "cross_entropy_from_probabilities"), ("identity", "cross_entropy"),
              ("sigmoid", "binary_cross_entropy"), ("identity", "logistic"), ("identity", "squared_error"),
              ("sigmoid", "squared_error"), ("identity", "mse"), ("sigmoid", "mse")}
DOUBLE_SOFTMAX = ("softmax", "cross_entropy")


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def loss_gradient(loss: str, out: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ℓ/∂(the network's output) of one sample, from the loss's formula."""
    k = out.size
    if loss == "squared_error":
        return out - y
    if loss == "mse":
        return 2.0 / k * (out - y)
    if loss == "cross_entropy":
        return y.sum() * _softmax(out) - y
    if loss == "cross_entropy_from_probabilities":
        return np.where(y == 0.0, 0.0, -y / np.where(out == 0.0, 1.0, out))
    if loss == "binary_cross_entropy":
        return (out - y) / (out * (1.0 - out))
    if loss == "logistic":
        return -y / (1.0 + np.exp(y * out))
    if loss == "hinge":
        return -y * (1.0 - y * out > 0.0)
    raise ValueError(f"unknown loss {loss!r}")


@dataclass
class OutputError:
    """The output error's formulas and numbers (per sample, the reduction's 1/N included)."""

    general: object  # Formula: the general chain
    loss_gradient: object  # Formula: ∂ℓ/∂ŷ
    simplified: list  # Formulas of the simplified form (two when it has two spellings); [] for none
    note: str  # why the simplified form holds, or why there is none
    warning: str
    general_values: list
    simplified_values: list  # [] when there is no simplified form


def _times(k: int):
    return ODOT if k > 1 else F("·", r" \cdot ")


def _over(k: int):
    return OSLASH if k > 1 else F("/", "/")


def loss_gradient_formula(loss: str, out, y, k: int):
    """∂ℓ/∂ŷ as a formula in the output's name ``out`` and the target's ``y``."""
    t, o = _times(k), _over(k)
    if loss == "squared_error":
        return cat(out, MINUS, y)
    if loss == "mse":
        return cat(F("(2/k)(", r"\tfrac{2}{k}("), out, MINUS, y, ")")
    if loss == "cross_entropy":
        return cat(F("(Σy)·softmax(", r"(\textstyle\sum y) \operatorname{softmax}("), out, ")", MINUS, y)
    if loss == "cross_entropy_from_probabilities":
        return cat(F("−", "-"), y, o, out)
    if loss == "binary_cross_entropy":
        return cat("(", out, MINUS, y, ")", o, "(", out, t, F("(1 − ", "(1 - "), out, "))")
    if loss == "logistic":
        return cat(F("−", "-"), y, o, F("(1 + exp(", r"(1 + \exp("), y, t, out, "))")
    return cat(F("−", "-"), y, t, F("[1 − ", "[1 - "), y, t, out, F(" > 0]", " > 0]"))


def output_error(names, act_name: str, d, loss: str, samples, scale: float, n_samples: int) -> OutputError:
    """The output layer's δ for ``samples`` (`nn.backprop.run.Sample`s); ``d`` is the output
    activation's `Derivative` (None for softmax); ``scale`` is 1/N for a mean, else 1."""
    L = names.layers
    z, out, y = names.pre(L), names.post(L), names.target
    k = samples[0].y.size
    t = _times(k)
    factor = F("(1/N)", r"\tfrac{1}{N}") if scale != 1.0 else F("")
    dl = loss_gradient_formula(loss, out, y, k)
    dl_name = F(f"∂{names.loss.text}/∂{out.text}", rf"\frac{{\partial {names.loss.latex}}}{{\partial {out.latex}}}")
    if d is None:
        general = cat(factor, transpose(cat(F("J_softmax(", r"J_{\operatorname{softmax}}("), z, ")")), " ", dl_name)
    elif d.is_identity:
        general = cat(factor, dl_name)
    else:
        general = cat(factor, dl_name, t, d.prime(z))
    general_values = []
    for s in samples:
        g = loss_gradient(loss, s.post[-1], s.y)
        if d is None:
            general_values.append(scale * softmax_jacobian(s.post[-1]).T @ g)
        else:
            general_values.append(scale * g * prime_values(d, s.pre[-1]))
    key = (act_name, loss)
    simplified, values, note, warning = [], [], "", ""
    sums = [float(s.y.sum()) for s in samples]
    one = all(abs(v - 1.0) <= 1e-12 for v in sums)
    if key == DOUBLE_SOFTMAX:
        warning = ("warning: softmax output followed by cross_entropy, which applies softmax to its input again "
                   "(a double softmax); no simplified form. Use an identity output with cross_entropy, or "
                   "cross_entropy_from_probabilities after softmax.")
    elif key in SIMPLIFIED:
        if loss in ("cross_entropy_from_probabilities", "cross_entropy"):
            base = out if loss == "cross_entropy_from_probabilities" else cat("softmax(", out, ")")
            lead = base if one else cat(F("(Σy)", r"(\textstyle\sum y)"), base)
            simplified = [cat(factor, lead if not factor.text else cat("(", lead, MINUS, y, ")"),
                              *([MINUS, y] if not factor.text else []))]
            note = ("softmax with the cross-entropy of its probabilities" if loss.endswith("probabilities")
                    else "cross_entropy applies softmax to the logits itself") + \
                   ("; Σy = 1, so (Σy)ŷ − y = ŷ − y" if one else f"; Σy = {', '.join(f'{v:g}' for v in sums)} ≠ 1, "
                                                             f"so the factor Σy stays")
            for s in samples:
                base_v = s.post[-1] if loss.endswith("probabilities") else _softmax(s.post[-1])
                values.append(scale * (s.y.sum() * base_v - s.y))
        elif loss == "logistic":
            simplified = [cat(factor, F("−", "-"), y, _over(k), F("(1 + exp(", r"(1 + \exp("), y, t, out, "))"),
                          cat(factor, F("−", "-"), y, t, F("σ(−", r"\sigma(-"), y, t, out, ")")]
            note = "the logistic loss log(1 + exp(−y f)) on the identity output f"
            values = [scale * -s.y / (1.0 + np.exp(s.y * s.post[-1])) for s in samples]
        else:
            diff = cat("(", out, MINUS, y, ")")
            lead = cat(F("(2/k)", r"\tfrac{2}{k}"), diff) if loss == "mse" else (diff if act_name == "sigmoid" else
                                                                                  cat(out, MINUS, y))
            if act_name == "sigmoid":
                lead = cat(lead, t, out, t, F("(1 − ", "(1 - "), out, ")")
            simplified = [cat(factor, lead)]
            note = {("identity", "squared_error"): "identity output, ℓ = ½Σ(y − ŷ)²",
                    ("sigmoid", "squared_error"): "sigmoid output (σ′ = ŷ(1 − ŷ)), ℓ = ½Σ(y − ŷ)²",
                    ("identity", "mse"): f"identity output, ℓ = (1/k)Σ(y − ŷ)² with k = {k}",
                    ("sigmoid", "mse"): f"sigmoid output (σ′ = ŷ(1 − ŷ)), ℓ = (1/k)Σ(y − ŷ)² with k = {k}",
                    ("sigmoid", "binary_cross_entropy"): "sigmoid output with binary cross-entropy"}[key]
            for s in samples:
                o = s.post[-1]
                v = (2.0 / k if loss == "mse" else 1.0) * (o - s.y)
                values.append(scale * (v * o * (1.0 - o) if act_name == "sigmoid" and loss != "binary_cross_entropy"
                                       else v))
            if key == ("sigmoid", "binary_cross_entropy"):
                simplified = [cat(factor, out, MINUS, y) if not factor.text else cat(factor, "(", out, MINUS, y, ")")]
    else:
        note = "no simplified form for this pair: the general chain"
    if scale != 1.0:
        note += f"; C is the mean over N = {n_samples} samples"
    return OutputError(general, dl, simplified, note, warning, general_values, values)
