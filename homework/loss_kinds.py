"""The losses a problem file can name (``[loss] kind = "…"``): how a solution describes each, and how
it is applied to a network's outputs and the file's target."""

from __future__ import annotations

from typing import Callable

from nn import losses as _losses


def _loss_squared_error(outputs, y):
    return _losses.squared_error(outputs[0] if len(outputs) == 1 else outputs, y)


def _loss_single(fn: Callable) -> Callable:
    def apply(outputs, y):
        if len(outputs) != 1:
            raise ValueError(f"this loss takes a network with one output, the network has {len(outputs)}")
        return fn(outputs[0], y[0] if isinstance(y, list) else y)
    return apply


# name -> (how the solution describes it, function (outputs, target) -> loss Value)
LOSSES: dict[str, tuple[str, Callable]] = {
    "squared_error": ("ℓ = ½ Σ (y − ŷ)²", _loss_squared_error),
    "mse": ("ℓ = (1/k) Σ (y − ŷ)²", lambda out, y: _losses.mse(out, y)),
    "cross_entropy": ("ℓ = −Σ yᵢ log ŷᵢ, ŷ = softmax(z) (from the logits z, computed stably)",
                      lambda out, y: _losses.cross_entropy(out, y)),
    "cross_entropy_from_probabilities": ("ℓ = −Σ yᵢ log ŷᵢ (the network's outputs are probabilities)",
                                         lambda out, y: _losses.cross_entropy_from_probabilities(out, y)),
    "logistic": ("ℓ = log(1 + exp(−y·f)), y ∈ {−1, +1}", _loss_single(_losses.logistic)),
    "binary_cross_entropy": ("ℓ = −y log ŷ − (1 − y) log(1 − ŷ)", _loss_single(_losses.binary_cross_entropy)),
    "hinge": ("ℓ = max(0, 1 − y·f), y ∈ {−1, +1}", _loss_single(_losses.hinge)),
}
