"""Activation functions by name, or any callable on Values.

An `Activation` applies to a whole layer: ``apply(pre)`` takes the layer's pre-activations (a list of
Values) and returns its activations (a list of Values of the same length). Element-wise activations
(relu, sigmoid, a user's ``lambda z: z.relu() + z.sin()``) are applied unit by unit; ``softmax`` looks at
the whole layer. Everything is built from the engine's operations, so the derivative of every
activation comes from the rule table and shows up in printouts and drawings like any other step.

``identity`` returns the pre-activation nodes themselves (no extra node): see `nn.naming` for how
such a unit is named.

>>> from autograd import Value
>>> get("relu").apply([Value(-1.0), Value(2.0)])[1].data
2.0
>>> f = get(lambda z: z.relu() + z.sin())   # seed 001's f(x) = ReLU(x) + sin(x)
>>> round(f.apply([Value(1.35)])[0].data, 6)
2.325723
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable, Sequence

from autograd import Value
from autograd.nary import softmax as autograd_softmax


@dataclass(frozen=True)
class Activation:
    """A layer's activation.

    Attributes:
        name: shown in error messages and reprs (``"relu"``, or the callable's name).
        fn: for an element-wise activation, a function Value -> Value; otherwise a function
            list[Value] -> list[Value] over the whole layer.
        elementwise: whether ``fn`` works on one Value at a time.
    """

    name: str
    fn: Callable
    elementwise: bool = True

    def apply(self, pre: Sequence[Value]) -> list[Value]:
        """The activations of a layer whose pre-activations are ``pre``.

        Raises:
            TypeError: the function returned something that is not a Value (or, for a layer-wide
                activation, not one Value per unit).
        """
        if self.elementwise:
            out = [self.fn(z) for z in pre]
        else:
            out = list(self.fn(list(pre)))
            if len(out) != len(pre):
                raise TypeError(f"activation {self.name!r} returned {len(out)} values for a layer of {len(pre)} units; "
                                f"a layer-wide activation must return one Value per unit")
        for v in out:
            if not isinstance(v, Value):
                raise TypeError(
                    f"activation {self.name!r} returned {v!r} ({type(v).__name__}), not a Value; build it from "
                    f"the engine's operations, e.g. lambda z: z.relu() + z.sin()")
        return out

    def __call__(self, z: Value) -> Value:
        """Apply an element-wise activation to one Value."""
        if not self.elementwise:
            raise TypeError(f"activation {self.name!r} works on a whole layer; call .apply(list_of_values)")
        return self.apply([z])[0]


def identity(z: Value) -> Value:
    """z itself: no node is added."""
    return z


def leaky_relu(z: Value, slope: float = 0.01) -> Value:
    """relu(z) − slope·relu(−z): z for z > 0, slope·z otherwise (the derivative at 0 is 0, as relu's)."""
    return z.relu() - slope * (-z).relu()


def softmax(values: Sequence[Value]) -> list[Value]:
    """Softmax over a whole layer, computed stably: ŷᵢ = exp(zᵢ − log Σⱼ exp zⱼ).

    Each output is one node (`autograd.softmax`) whose partials are ŷᵢ(1 − ŷᵢ) and −ŷᵢŷⱼ, so large
    logits (±1000) give finite outputs and gradients and printouts show the textbook factors.

    >>> from autograd import Value
    >>> [round(p.data, 4) for p in softmax([Value(1000.0), Value(-1000.0), Value(1000.0)])]
    [0.5, 0.0, 0.5]
    """
    values = list(values)
    if not values:
        raise ValueError("softmax needs at least one value")
    return autograd_softmax(values)


NAMED: dict[str, Activation] = {
    "identity": Activation("identity", identity),
    "relu": Activation("relu", lambda z: z.relu()),
    "leaky_relu": Activation("leaky_relu", leaky_relu),
    "sigmoid": Activation("sigmoid", lambda z: z.sigmoid()),
    "tanh": Activation("tanh", lambda z: z.tanh()),
    "sin": Activation("sin", lambda z: z.sin()),
    "cos": Activation("cos", lambda z: z.cos()),
    "softplus": Activation("softplus", lambda z: z.softplus()),
    "exp": Activation("exp", lambda z: z.exp()),
    "softmax": Activation("softmax", softmax, elementwise=False),
}
"""The activations available by name."""

ALIASES = {"linear": "identity", "none": "identity", "logistic": "sigmoid", "sigma": "sigmoid", "σ": "sigmoid"}


def get(spec: "str | Callable | Activation | None") -> Activation:
    """An `Activation` from a name (see `NAMED`), a callable Value -> Value, an `Activation` or None.

    None means identity. A string that is not a name but a formula of one variable, such as
    ``"relu(z) + sin(z)"``, is read by `autograd.expression.activation` (a whitelist, never Python's
    eval). A callable is taken to be element-wise; wrap a layer-wide function as
    ``Activation("name", fn, elementwise=False)``.

    Raises:
        ValueError: an unknown name (the message lists the known ones and the closest match).
        TypeError: neither a name nor a callable.
    """
    if spec is None:
        return NAMED["identity"]
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower().replace("-", "_").replace(" ", "_")
        key = ALIASES.get(key, key)
        if key in NAMED:
            return NAMED[key]
        if any(c in spec for c in "()+-*/"):  # a formula such as "relu(z) + sin(z)": parsed, never eval'd
            from autograd.expression import activation as parse_activation
            formula = parse_activation(spec)
            return Activation(spec.strip(), formula)
        close = difflib.get_close_matches(key, list(NAMED) + list(ALIASES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown activation {spec!r}{hint}; choose one of {', '.join(NAMED)}, "
                         f"or pass a function of a Value such as lambda z: z.relu() + z.sin()")
    if callable(spec):
        name = getattr(spec, "__name__", None) or getattr(spec, "source", None) or type(spec).__name__
        return Activation(str(name), spec)
    raise TypeError(f"an activation must be a name such as 'relu', a function of a Value, or None; "
                    f"got {spec!r} of type {type(spec).__name__}")
