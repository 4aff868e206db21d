"""Each layer's activation as a symbolic derivative (`autograd.symbolic`): f′ is one function,
derived once from the rule table and evaluated per unit; softmax, which is not element-wise, has a
Jacobian instead (J = diag(h) − h hᵀ)."""

from __future__ import annotations

import numpy as np

from autograd.expression import Expression
from autograd.symbolic import NAMED_SYMBOLS, Derivative, derivative


def symbolic(act, name: str = "f") -> Derivative | None:
    """The derivative of an `nn.activations.Activation`; None for a layer-wide one (softmax)."""
    if not act.elementwise:
        return None
    if act.name in NAMED_SYMBOLS:
        return derivative(act.name)
    if isinstance(act.fn, Expression):
        return derivative(act.fn, name=name)
    return derivative(act.fn, name=name if act.name.startswith("<") else act.name)


def layer_derivatives(net) -> list:
    """One `Derivative` (or None for softmax) per layer. Formula activations are called f, or f₁, f₂, …
    when layers use different ones."""
    sources = {layer.activation.name for layer in net.layers
               if layer.activation.elementwise and layer.activation.name not in NAMED_SYMBOLS}
    subscripts = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    return [symbolic(layer.activation, "f" if len(sources) <= 1 else f"f{str(layer.index).translate(subscripts)}")
            for layer in net.layers]


def softmax_jacobian(h: np.ndarray) -> np.ndarray:
    """∂hᵢ/∂zⱼ = hᵢ([i = j] − hⱼ) for h = softmax(z)."""
    h = np.asarray(h, dtype=float)
    return np.diag(h) - np.outer(h, h)


def prime_values(d: Derivative | None, z: np.ndarray) -> np.ndarray:
    """f′ at every entry of z (an element-wise activation only)."""
    return np.array([d.value(v) for v in np.asarray(z, dtype=float).reshape(-1)])
