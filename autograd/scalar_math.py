"""`ScalarMath`: the math functions the rule table computes with, on Python floats.

Every rule in ops.py takes its functions from a namespace ``m``; the scalar engine passes `SCALAR`
and the batched replay passes numpy's counterpart (replay/numpy_math.py) with the same names. The
careful forms live here once: ``sigmoid`` and ``softplus`` that never overflow, ``logsumexp`` that
subtracts the largest argument, and `plain_sum`, a sum that gives the same digits on every Python.
"""

from __future__ import annotations

import math
import sys
from functools import reduce
from operator import add
from typing import Sequence

EXP_LIMIT = math.log(1.7976931348623157e308)  # 709.78…: exp(x) overflows float64 above this

if sys.version_info >= (3, 12):
    def plain_sum(xs, start=0):
        """Σ left to right, rounding after each addition, as Python's ``sum`` of floats did before
        3.12 (it compensates rounding errors since): the same digits on every supported Python."""
        return reduce(add, xs, start)
else:
    plain_sum = sum


class ScalarMath:
    """Math on Python floats, numerically careful where the textbook formula is not.

    ``sigmoid`` and ``softplus`` never evaluate ``exp`` of a large positive number, so they are exact
    and finite at ±1000; ``logsumexp`` subtracts the largest argument first.
    """

    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    tanh = staticmethod(math.tanh)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    sqrt = staticmethod(math.sqrt)
    fabs = staticmethod(math.fabs)
    pow = staticmethod(math.pow)

    @staticmethod
    def sigmoid(x: float) -> float:
        if x >= 0.0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def softplus(x: float) -> float:
        # log(1 + eˣ) = max(x, 0) + log1p(e^−|x|): no overflow for large x, no lost digits for small.
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    @staticmethod
    def relu(x: float) -> float:
        return x if x > 0.0 else 0.0

    @staticmethod
    def step(x: float) -> float:
        """1 where x > 0, else 0: relu′, with relu′(0) = 0."""
        return 1.0 if x > 0.0 else 0.0

    @staticmethod
    def sign(x: float) -> float:
        """abs′, with abs′(0) = 0."""
        return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)

    @staticmethod
    def maximum(x: float, y: float) -> float:
        return x if x >= y else y

    @staticmethod
    def minimum(x: float, y: float) -> float:
        return x if x <= y else y

    @staticmethod
    def share(x: float, y: float) -> float:
        """1 where x > y, ½ where x = y, else 0: ∂max(x, y)/∂x. At a tie the gradient is split
        evenly between the two arguments, as PyTorch's maximum and JAX's do."""
        return 1.0 if x > y else (0.5 if x == y else 0.0)

    @staticmethod
    def logsumexp(xs: Sequence[float]) -> float:
        top = max(xs)
        return top + math.log(math.fsum(math.exp(x - top) for x in xs))

    @staticmethod
    def is_integer(x: float) -> bool:
        return float(x).is_integer()


SCALAR = ScalarMath()
