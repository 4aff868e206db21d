"""Optimizers: `SGD` (with optional momentum) and `Adam`, updating parameters' ``data`` in place.

One plain SGD step is exactly the sheet's rule θ ← θ − α·∂L/∂θ, computed as ``θ.data - lr * θ.grad``
in float64 (seed 001: α = 0.001; seed 002: λ = 2):

>>> from autograd import Value
>>> w = Value(1.0, label="W²₁₁"); w.grad = -0.0925
>>> SGD([w], lr=2.0).step(); w.data
1.185

After a step, Values computed from the old numbers are stale: run the forward pass again.

A step is all or nothing: every gradient is checked to be finite, and every new value computed and
checked, before any parameter (or the optimizer's state) changes. An infinite gradient or a
diverging update raises `NonFiniteError` and leaves the model exactly as it was.
"""

from __future__ import annotations

import math
from typing import Iterable

from autograd import Value, as_float
from autograd.errors import NonFiniteError


def _parameter_list(params) -> list[Value]:
    if hasattr(params, "parameters") and callable(params.parameters):
        params = params.parameters()
    ps = list(params)
    if not ps:
        raise ValueError("an optimizer needs at least one parameter")
    for p in ps:
        if not isinstance(p, Value):
            raise TypeError(f"an optimizer updates Values; got {p!r} ({type(p).__name__})")
        if p.op:
            raise ValueError(f"{p.label or 'a node'} was computed by {p.op!r}, not a parameter (a leaf Value); "
                             f"pass net.parameters()")
    seen: set[int] = set()
    unique = []
    for p in ps:  # a parameter listed twice must be updated once
        if id(p) not in seen:
            seen.add(id(p))
            unique.append(p)
    return unique


def _rate(x, what: str) -> float:
    r = as_float(x, what)
    if r <= 0:
        raise ValueError(f"{what} must be > 0, got {r!r}")
    return r


class Optimizer:
    """Common parts: the parameter list, `zero_grad`, and `_commit`, which makes a step all or nothing."""

    def __init__(self, params: Iterable[Value]) -> None:
        self.params = _parameter_list(params)
        self.steps = 0

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 (leaf grads accumulate across ``backward`` calls)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once from its current ``grad``."""
        raise NotImplementedError

    def _commit(self, new_data: list[float], grads: list[float]) -> None:
        """Set every parameter's data, but only when every gradient and every new value is finite."""
        for p, g in zip(self.params, grads):
            if not math.isfinite(g):
                raise NonFiniteError(f"{p.label or 'a parameter'} has the gradient {g!r}; no parameter was changed. "
                                     f"Look for an overflow in the forward pass, or lower the learning rate")
        for p, x in zip(self.params, new_data):
            if not math.isfinite(x):
                raise NonFiniteError(f"after step {self.steps + 1}, {p.label or 'a parameter'} is {x!r}: the update "
                                     f"diverges, so the step was not taken (no parameter changed); use a smaller "
                                     f"learning rate")
        for p, x in zip(self.params, new_data):
            p.data = x
        self.steps += 1


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (and L2 weight decay).

    With ``momentum=0``: θ ← θ − lr·g. With momentum μ (as PyTorch): v ← μ·v + g, θ ← θ − lr·v.
    With ``weight_decay`` w, g is replaced by g + w·θ.

    Args:
        params: Values, or a `Module` (its ``parameters()``).
        lr: the learning rate (α, λ, η on sheets), > 0.
        momentum: μ ∈ [0, 1).
        weight_decay: ≥ 0.
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(params)
        self.lr = _rate(lr, "SGD's learning rate lr")
        self.momentum = as_float(momentum, "SGD's momentum")
        if not 0.0 <= self.momentum < 1.0:
            raise ValueError(f"SGD's momentum must be in [0, 1), got {self.momentum!r}")
        self.weight_decay = as_float(weight_decay, "SGD's weight_decay")
        if self.weight_decay < 0:
            raise ValueError(f"SGD's weight_decay must be ≥ 0, got {self.weight_decay!r}")
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        grads = [p.grad for p in self.params]
        velocity = list(self.velocity)
        new_data = []
        for k, p in enumerate(self.params):
            g = grads[k] + wd * p.data if wd else grads[k]
            if mu:
                g = velocity[k] = mu * velocity[k] + g
            new_data.append(p.data - lr * g)
        self._commit(new_data, grads)
        self.velocity = velocity


class Adam(Optimizer):
    """Adam (Kingma & Ba): bias-corrected moving averages of the gradient and its square.

    m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ),
    v̂ = v/(1 − β₂ᵗ).

    Args:
        params: Values, or a `Module`.
        lr: the learning rate, > 0.
        betas: (β₁, β₂), each in [0, 1).
        eps: ε > 0.
    """

    def __init__(self, params, lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params)
        self.lr = _rate(lr, "Adam's learning rate lr")
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise TypeError(f"Adam's betas must be a pair (β₁, β₂), got {betas!r}") from None
        self.beta1, self.beta2 = as_float(b1, "Adam's β₁"), as_float(b2, "Adam's β₂")
        for name, b in (("β₁", self.beta1), ("β₂", self.beta2)):
            if not 0.0 <= b < 1.0:
                raise ValueError(f"Adam's {name} must be in [0, 1), got {b!r}")
        self.eps = _rate(eps, "Adam's eps")
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        b1, b2, t = self.beta1, self.beta2, self.steps + 1
        c1, c2 = 1.0 - b1 ** t, 1.0 - b2 ** t
        grads = [p.grad for p in self.params]
        m, v, lr, eps = list(self.m), list(self.v), self.lr, self.eps
        new_data = []
        for k, p in enumerate(self.params):
            g = grads[k]
            m[k] = b1 * m[k] + (1.0 - b1) * g
            v[k] = b2 * v[k] + (1.0 - b2) * g * g
            new_data.append(p.data - lr * (m[k] / c1) / (math.sqrt(v[k] / c2) + eps))
        self._commit(new_data, grads)
        self.m, self.v = m, v
