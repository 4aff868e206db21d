"""Loss functions on Values, each returning one named Value (ℓ unless told otherwise).

Arguments come in the order (prediction, target), as in PyTorch. Predictions are Values (a network's
outputs); targets are numbers or Values (a named leaf such as ``Value(1.0, "y")`` makes printouts
write ∂ℓ/∂ŷ = −(y − ŷ) with the letter y instead of the number).

Targets are checked, so a wrong one is an error, never a meaningless loss: binary cross-entropy
takes y ∈ [0, 1], logistic and hinge y ∈ {−1, +1}, cross-entropy a class index (from 0, like PyTorch;
problem files count from 1) or a distribution (entries ≥ 0 summing to 1 within `TOLERANCE`).

Numerically careful where the textbook formula is not: softmax cross-entropy from logits uses one
log-sum-exp node, the logistic loss and binary cross-entropy from logits use softplus, so logits of
±1000 give finite losses and gradients. The versions that take probabilities compute log p as
written and stop with a clear error when a probability the loss needs is exactly 0 or 1.

>>> from autograd import Value
>>> y_hat = Value(0.25, label="ŷ")
>>> loss = squared_error(y_hat, 1.0)
>>> loss.label, loss.data
('ℓ', 0.28125)
"""

from __future__ import annotations

import math
from typing import Sequence

from autograd import Value, as_float, logsumexp, sum_values
from autograd.errors import DomainError
from autograd.notation import to_text

LOSS = "\\ell"
TOLERANCE = 1e-6  # how far from 1 a distribution's sum may be


def _named(v: Value | float, label: str) -> Value:
    if not isinstance(v, Value):
        v = Value(v)  # a loss that does not depend on any Value (e.g. all targets 0): still a node
    return v.named(to_text(label)) if label else v


def _vector(x, what: str) -> list:
    if isinstance(x, Value) or isinstance(x, (int, float)) and not isinstance(x, bool):
        return [x]
    if hasattr(x, "tolist") and hasattr(x, "shape"):
        x = x.reshape(-1).tolist()
    try:
        return list(x)
    except TypeError:
        raise TypeError(f"{what} must be a Value, a number or a sequence of them, got {type(x).__name__}: {x!r}") from None


def _target(t, what: str):
    return t if isinstance(t, Value) else as_float(t, what)


def _pair(prediction, target, name: str) -> tuple[list, list]:
    p = _vector(prediction, f"{name}'s prediction")
    t = [_target(v, f"{name}'s target") for v in _vector(target, f"{name}'s target")]
    if len(p) != len(t):
        raise ValueError(f"{name}: the prediction has {len(p)} entries but the target has {len(t)}; give one target per output")
    if not p:
        raise ValueError(f"{name} needs at least one prediction")
    return p, t


def _binary_labels(target, name: str) -> list:
    ts = [_target(v, f"{name}'s label") for v in _vector(target, f"{name}'s label")]
    for t in ts:
        if not isinstance(t, Value) and t not in (-1.0, 1.0):
            raise ValueError(f"{name} needs labels y ∈ {{−1, +1}}, got {t!r}; map a 0/1 label y to 2y − 1")
    return ts


def squared_error(prediction, target, label: str = LOSS) -> Value:
    """½ Σᵢ (yᵢ − ŷᵢ)²: the sheet's ℓ = ½(y − ŷ)², whose derivative is ∂ℓ/∂ŷ = −(y − ŷ).

    Args:
        prediction: ŷ, a Value or a sequence of Values.
        target: y, numbers or Values, the same length.
        label: the loss's name.
    """
    p, t = _pair(prediction, target, "squared_error")
    terms = [0.5 * (y - yh) ** 2 for yh, y in zip(p, t)]
    return _named(terms[0] if len(terms) == 1 else sum_values(terms), label)


def mse(prediction, target, label: str = LOSS) -> Value:
    """Mean squared error (1/n) Σᵢ (yᵢ − ŷᵢ)² (no ½)."""
    p, t = _pair(prediction, target, "mse")
    terms = [(y - yh) ** 2 for yh, y in zip(p, t)]
    total = terms[0] if len(terms) == 1 else sum_values(terms)
    return _named(total / len(terms) if len(terms) > 1 else total, label)


def _one_hot(target, k: int, name: str) -> list:
    """A class index (from 0) becomes a one-hot vector; a vector must be a distribution of length k."""
    if isinstance(target, (int,)) and not isinstance(target, bool) or (
            hasattr(target, "dtype") and getattr(target, "shape", None) == () and target.dtype.kind in "iu"):
        c = int(target)
        if not 0 <= c < k:
            raise ValueError(f"{name}: class index {c} is out of range for {k} classes: the Python losses count from "
                             f"0, like PyTorch (0 to {k - 1}); a problem file counts from 1 (class = 1 to {k})")
        return [1.0 if i == c else 0.0 for i in range(k)]
    t = [_target(v, f"{name}'s target") for v in _vector(target, f"{name}'s target")]
    if len(t) != k:
        raise ValueError(f"{name}: {k} classes but the target has {len(t)} entries; give a distribution of length "
                         f"{k} (e.g. one-hot) or a class index (an int, from 0 like PyTorch: 0 to {k - 1})")
    _distribution([v.data if isinstance(v, Value) else v for v in t], f"{name}'s target")
    return t


def _distribution(xs: list[float], what: str) -> None:
    for k, x in enumerate(xs):
        if not 0.0 <= x <= 1.0:
            raise ValueError(f"{what}: entry {k} is {x!r}; a distribution's entries lie in [0, 1] (and sum to 1)")
    if abs((total := math.fsum(xs)) - 1.0) > TOLERANCE:
        raise ValueError(f"{what} sums to {total:.10g}, not 1; a distribution's entries sum to 1 (within {TOLERANCE:g})")


def _unit_interval(target, name: str) -> None:
    for k, x in enumerate(y.data if isinstance(y, Value) else y for y in target):
        if not 0.0 <= x <= 1.0:
            raise ValueError(f"{name}: target {k} is {x!r}, but this loss takes targets y in [0, 1] (a label 0 or 1, "
                             f"or a probability); map a label y ∈ {{−1, +1}} to (y + 1) / 2, or use logistic")


def softmax(logits: Sequence[Value]) -> list[Value]:
    """Softmax, stable for any logits: pᵢ = exp(zᵢ − log Σⱼ exp zⱼ). Same as the "softmax" activation."""
    from nn.activations import softmax as _softmax
    return _softmax(_vector(logits, "softmax's logits"))


def cross_entropy(logits, target, label: str = LOSS) -> Value:
    """Softmax cross-entropy from logits: −Σᵢ yᵢ log softmax(z)ᵢ = log Σⱼ exp zⱼ − Σᵢ yᵢ zᵢ (for Σ y = 1).

    Computed as ``Σᵢ yᵢ · (logsumexp(z) − zᵢ)`` with one log-sum-exp node, so it is finite for logits
    of any size and ∂ℓ/∂zᵢ = softmax(z)ᵢ·Σy − yᵢ (= ŷᵢ − yᵢ for a one-hot y).

    Args:
        logits: the scores z (Values), one per class.
        target: a class index (an int, from 0 like PyTorch) or a distribution y of the same length (one-hot).
        label: the loss's name.
    """
    z = _vector(logits, "cross_entropy's logits")
    y = _one_hot(target, len(z), "cross_entropy")
    lse = logsumexp(z)
    terms = [(lse - zi) if (not isinstance(yi, Value) and yi == 1.0) else yi * (lse - zi)
             for zi, yi in zip(z, y) if isinstance(yi, Value) or yi != 0.0]
    if not terms:
        return _named(Value(0.0), label)
    return _named(terms[0] if len(terms) == 1 else sum_values(terms), label)


def cross_entropy_from_probabilities(probabilities, target, label: str = LOSS) -> Value:
    """−Σᵢ yᵢ log ŷᵢ, from probabilities ŷ (e.g. a softmax layer's outputs), as seed 001 writes it.

    Terms with yᵢ = 0 are left out (0·log 0 = 0), so only the probabilities the target puts weight on
    must be positive. With a softmax layer before it, ∂ℓ/∂zᵢ works out to ŷᵢ − yᵢ (δ₂ = ŷ − y).

    Each probability must lie in [0, 1]; their sum is not checked, so a gradient check can move one.

    Raises:
        ValueError: the target is not a distribution, or a probability lies outside [0, 1].
        DomainError: a probability the loss needs is 0 (use `cross_entropy` on the logits instead).
    """
    p = _vector(probabilities, "cross_entropy_from_probabilities's probabilities")
    y = _one_hot(target, len(p), "cross_entropy_from_probabilities")
    terms = []
    for k, (pi, yi) in enumerate(zip(p, y)):
        if not isinstance(yi, Value) and yi == 0.0:
            continue
        _check_probability(pi, k, "cross_entropy_from_probabilities", False, "cross_entropy")
        log_p = pi.log() if isinstance(pi, Value) else math.log(pi)
        terms.append(-log_p if (not isinstance(yi, Value) and yi == 1.0) else -(yi * log_p))
    if not terms:
        return _named(Value(0.0), label)
    return _named(terms[0] if len(terms) == 1 else sum_values(terms), label)


def _check_probability(p, k: int, name: str, need_below_one: bool, fix: str) -> None:
    """p must lie in [0, 1], and be > 0 where log p is needed (or < 1 where log(1 − p) is)."""
    x = p.data if isinstance(p, Value) else float(p)
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{name}: entry {k} is {x!r}, not a probability in [0, 1]; if it is a score (a logit), "
                         f"use {fix}")
    if x == (1.0 if need_below_one else 0.0):
        raise DomainError(
            f"{name}: probability {k} is exactly {x:g}, so log({'1 − p' if need_below_one else 'p'}) is −∞; "
            f"a saturated sigmoid or softmax gives such numbers — compute the loss from the logits with {fix}")


def binary_cross_entropy(probability, target, label: str = LOSS) -> Value:
    """−[y log p + (1 − y) log(1 − p)] for a probability p ∈ (0, 1) and a label y ∈ [0, 1].

    Summed over entries when given sequences. Terms with weight 0 are left out.

    Raises:
        DomainError: p is exactly 0 or 1 where its log is needed (use
            `binary_cross_entropy_with_logits`).
    """
    p, t = _pair(probability, target, "binary_cross_entropy")
    _unit_interval(t, "binary_cross_entropy")
    terms = []
    for k, (pk, yk) in enumerate(zip(p, t)):
        fixed = not isinstance(yk, Value)
        if not (fixed and yk == 0.0):  # the y·log p term
            _check_probability(pk, k, "binary_cross_entropy", False, "binary_cross_entropy_with_logits")
            terms.append(-pk.log() if fixed and yk == 1.0 else -(yk * pk.log()))
        if not (fixed and yk == 1.0):  # the (1 − y)·log(1 − p) term
            _check_probability(pk, k, "binary_cross_entropy", True, "binary_cross_entropy_with_logits")
            terms.append(-(1.0 - pk).log() if fixed and yk == 0.0 else -((1.0 - yk) * (1.0 - pk).log()))
    return _named(terms[0] if len(terms) == 1 else sum_values(terms), label)


def binary_cross_entropy_with_logits(logit, target, label: str = LOSS) -> Value:
    """Binary cross-entropy of σ(f) against y ∈ [0, 1], from the logit f, stably:
    ``(1 − y)·f + softplus(−f)`` (= −[y log σ(f) + (1 − y) log(1 − σ(f))]); ∂ℓ/∂f = σ(f) − y."""
    f, t = _pair(logit, target, "binary_cross_entropy_with_logits")
    _unit_interval(t, "binary_cross_entropy_with_logits")
    terms = [(1.0 - yk) * fk + (-fk).softplus() if isinstance(yk, Value) or yk != 1.0 else (-fk).softplus()
             for fk, yk in zip(f, t)]
    return _named(terms[0] if len(terms) == 1 else sum_values(terms), label)


def logistic(score, label_y, label: str = LOSS) -> Value:
    """The logistic loss log(1 + exp(−y·f)) for y ∈ {−1, +1} (seed 003), computed as softplus(−y·f).

    Finite for any score; ∂ℓ/∂f = −y / (1 + exp(y·f)). Summed over entries when given sequences
    (seed 003's C = Σᵢ log(1 + exp(−yᵢ fᵢ))).

    Args:
        score: f, a Value (the network's output) or a sequence of them.
        label_y: y ∈ {−1, +1} (numbers or Values), one per score.
        label: the loss's name.
    """
    f, _ = _pair(score, label_y, "logistic")
    ys = _binary_labels(label_y, "logistic")
    terms = [(-(y * fk)).softplus() if isinstance(y, Value) else ((-fk).softplus() if y == 1.0 else fk.softplus())
             for fk, y in zip(f, ys)]
    return _named(terms[0] if len(terms) == 1 else sum_values(terms), label)


def hinge(score, label_y, margin: float = 1.0, label: str = LOSS) -> Value:
    """The hinge (max-margin) loss max(0, margin − y·f) for y ∈ {−1, +1}, summed over entries.

    At the kink (y·f = margin) the derivative is 0 (relu′(0) = 0).
    """
    f, _ = _pair(score, label_y, "hinge")
    ys = _binary_labels(label_y, "hinge")
    m = as_float(margin, "hinge's margin")
    terms = [(m - y * fk).relu() for fk, y in zip(f, ys)]
    return _named(terms[0] if len(terms) == 1 else sum_values(terms), label)


def multiclass_hinge(scores, target: int, margin: float = 1.0, label: str = LOSS) -> Value:
    """The multi-class hinge loss Σ_{j ≠ c} max(0, margin + s_j − s_c) for the true class c (an int,
    counted from 0 like PyTorch)."""
    s = _vector(scores, "multiclass_hinge's scores")
    if isinstance(target, bool) or not isinstance(target, int):
        raise TypeError(f"multiclass_hinge's target must be a class index (an int, counted from 0 like PyTorch), "
                        f"got {target!r}")
    if not 0 <= target < len(s):
        raise ValueError(f"multiclass_hinge: class index {target} is out of range for {len(s)} classes: the Python "
                         f"losses count classes from 0, like PyTorch (0 to {len(s) - 1})")
    m = as_float(margin, "multiclass_hinge's margin")
    terms = [(m + sj - s[target]).relu() for j, sj in enumerate(s) if j != target]
    if not terms:
        raise ValueError("multiclass_hinge needs at least two classes")
    return _named(terms[0] if len(terms) == 1 else sum_values(terms), label)


def l2(parameters, strength: float, half: bool = True, label: str = "") -> Value:
    """L2 regularisation: (λ/2)·Σ θ² (``half=True``, gradient λθ) or λ·Σ θ² (``half=False``).

    Args:
        parameters: Values, or a `Module` (its ``parameters()``).
        strength: λ ≥ 0.
        label: a name for the penalty (unnamed by default, since it is usually added to a loss).
    """
    if hasattr(parameters, "parameters") and callable(parameters.parameters):
        parameters = parameters.parameters()
    ps = list(parameters)
    if not ps:
        raise ValueError("l2 needs at least one parameter")
    lam = as_float(strength, "l2's strength")
    if lam < 0:
        raise ValueError(f"l2's strength must be ≥ 0, got {lam!r}")
    total = sum_values([p * p for p in ps])
    out = (0.5 * lam if half else lam) * total
    return _named(out, label)


def mean(losses: Sequence[Value], label: str = LOSS) -> Value:
    """The average of per-example losses, as one sum node divided by their number."""
    ls = list(losses)
    if not ls:
        raise ValueError("mean needs at least one loss")
    total = ls[0] if len(ls) == 1 else sum_values(ls)
    return _named(total / len(ls) if len(ls) > 1 else total * 1.0, label)
