"""Operations on any number of Values: `sum_values`, `linear`, `logsumexp`, `softmax` (each ONE node),
and `maximum`, `minimum` (binary nodes, folded left).

One node for Σ or a neuron's pre-activation (rather than a chain of binary additions) is what makes
a printout read ∂α/∂β = W, and what the batched replay groups into one matrix product.
"""

from __future__ import annotations

from operator import mul as _mul

from autograd import ops
from autograd.slots import NARY
from autograd.value import Value, apply_binary, apply_nary

_new = object.__new__
_plain_sum = ops.plain_sum


def sum_values(values, label: str = "") -> Value:
    """Σ of several Values and numbers as ONE node (not a chain of binary additions)."""
    return apply_nary(ops.SUM, tuple(values)).named(label)


def linear(weights, inputs, bias=None, label: str = "") -> Value:
    """Σᵢ wᵢ·xᵢ (+ b) as ONE node, whose partials are ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1.

    This is how a neuron's pre-activation is built: a printout then shows ∂α/∂β = W directly.
    """
    weights, inputs = tuple(weights), tuple(inputs)
    n = len(weights)
    if n != len(inputs):
        raise ValueError(f"linear needs as many weights as inputs, got {n} weights and {len(inputs)} inputs")
    # The common case inline (a unit of a network: every argument a Value): the LINEAR rule's own
    # forward (Σ wᵢxᵢ in order, then + b) and partials (x's, w's, 1), without its generic machinery.
    wd = [w.data for w in weights if w.__class__ is Value]
    xd = [x.data for x in inputs if x.__class__ is Value]
    if n and len(wd) == n == len(xd) and label.__class__ is str:
        out = _plain_sum(map(_mul, wd, xd))
        if bias is None:
            parents = weights + inputs
        elif bias.__class__ is Value:
            out += bias.data
            parents = weights + inputs + (bias,)
            wd.append(1.0)
        else:
            parents = None
        if parents is not None and out - out == 0.0:
            xd.extend(wd)
            v = _new(Value)
            v.data = out; v.grad = 0.0; v.label = label; v.op = "linear"  # noqa: E702
            v._a = parents; v._b = NARY; v._da = tuple(xd); v._db = None  # noqa: E702
            return v
    args = weights + inputs + ((bias,) if bias is not None else ())
    return apply_nary(ops.LINEAR, args).named(label)


def logsumexp(values, label: str = "") -> Value:
    """log Σ exp(vᵢ), computed without overflow; its partials are the softmax of the arguments."""
    return apply_nary(ops.LOGSUMEXP, tuple(values)).named(label)


def softmax(values, labels=None) -> list:
    """softmaxᵢ(v₁ … vₖ) = exp(vᵢ − log Σⱼ exp vⱼ) for every i, computed stably, one node per output.

    Each output's partials are the textbook ones (∂ŷᵢ/∂vᵢ = ŷᵢ(1 − ŷᵢ), ∂ŷᵢ/∂vⱼ = −ŷᵢŷⱼ), so a printout
    of a softmax layer reads like a solution sheet; logits of ±1000 give finite values and partials.
    """
    values = tuple(values)
    if not values:
        raise ValueError("softmax needs at least one value")
    labels = list(labels) if labels is not None else [""] * len(values)
    return [apply_nary(ops.SOFTMAX, (float(i),) + values).named(label) for i, label in enumerate(labels)]


def maximum(*args):
    """The largest of two or more Values and numbers: max(a, b, c) = max(max(a, b), c), one binary
    ``max`` node per comparison, so each printout line is a two-way choice. At a tie each argument
    gets ½ of the gradient (PyTorch's and JAX's convention). Numbers stay constants of the nodes
    (max(0, z) has one parent, z); with no Value among the arguments the result is a plain float."""
    return _fold(ops.MAX, args, "maximum")


def minimum(*args):
    """The smallest of two or more Values and numbers; see `maximum`."""
    return _fold(ops.MIN, args, "minimum")


def _fold(rule, args: tuple, name: str):
    if len(args) < 2:
        raise TypeError(f"{name} takes two or more Values or numbers, got {len(args)}")
    out = args[0]
    for x in args[1:]:
        if isinstance(out, Value) or isinstance(x, Value):
            out = apply_binary(rule, out, x)
        else:  # two numbers: the rule's own forward, with the engine's checks on the number
            out = apply_binary(rule, Value(out), x).data
    return out
