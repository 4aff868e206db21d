"""The losses a problem file can name (``[loss] kind = "…"``): how a solution describes each, and how
it is applied to a network's outputs and the file's target.

The targets are checked by the losses themselves (nn/losses.py); a problem file gives a
cross-entropy target as probabilities or as ``class = N``, counted from 1 (homework/input_checks.py).
Here the network is checked too: ``cross_entropy_from_probabilities`` needs outputs that are
probabilities (summing to 1, as a softmax layer's do), or its loss would mean nothing."""

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


def _from_probabilities(outputs, y):
    total = sum(v.data for v in outputs)
    if len(outputs) > 1 and abs(total - 1.0) > _losses.TOLERANCE:
        raise ValueError(f"the network's outputs sum to {total:.6g}, not 1, so they are not probabilities; end the "
                         f"network with activation = \"softmax\", or use kind = \"cross_entropy\" on its outputs "
                         f"(the logits)")
    return _losses.cross_entropy_from_probabilities(outputs, y)


# name -> (how the solution describes it, function (outputs, target) -> loss Value)
LOSSES: dict[str, tuple[str, Callable]] = {
    "squared_error": ("ℓ = ½ Σ (y − ŷ)²", _loss_squared_error),
    "mse": ("ℓ = (1/k) Σ (y − ŷ)²", lambda out, y: _losses.mse(out, y)),
    "cross_entropy": ("ℓ = −Σ yᵢ log ŷᵢ, ŷ = softmax(z) (from the logits z, computed stably)",
                      lambda out, y: _losses.cross_entropy(out, y)),
    "cross_entropy_from_probabilities": ("ℓ = −Σ yᵢ log ŷᵢ (the network's outputs are probabilities)",
                                         _from_probabilities),
    "logistic": ("ℓ = log(1 + exp(−y·f)), y ∈ {−1, +1}", _loss_single(_losses.logistic)),
    "binary_cross_entropy": ("ℓ = −y log ŷ − (1 − y) log(1 − ŷ)", _loss_single(_losses.binary_cross_entropy)),
    "hinge": ("ℓ = max(0, 1 − y·f), y ∈ {−1, +1}", _loss_single(_losses.hinge)),
}
