"""`NumpyMath`: the math namespace a replayed batch runs the rule table with.

The rules in ops.py take their math functions from a namespace; the scalar engine passes
``ops.SCALAR`` and a replay passes `NUMPY`, so one rule serves both.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np



class NumpyMath:
    """The numpy counterpart of `ops.ScalarMath`: the same names, applied elementwise to arrays.

    The numerically careful forms are the same as the scalar ones (``sigmoid`` and ``softplus``
    never exponentiate a large positive number; ``logsumexp`` subtracts the largest argument), so a
    replayed batch agrees with the scalar engine sample by sample. ``sum`` adds a list of arrays and
    numbers left to right, as Python's ``sum`` does for the scalar engine.
    """

    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    tanh = staticmethod(np.tanh)
    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    sqrt = staticmethod(np.sqrt)
    fabs = staticmethod(np.fabs)
    pow = staticmethod(np.power)

    @staticmethod
    def sigmoid(x):
        e = np.exp(-np.abs(x))  # e^−|x| ≤ 1: never overflows
        return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))

    @staticmethod
    def softplus(x):
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def relu(x):
        return np.maximum(x, 0.0)  # one pass; relu(−0) may keep the sign of zero, which equals 0

    @staticmethod
    def step(x):
        return np.greater(x, 0.0).astype(float)  # 1 where x > 0, else 0 (step(0) = 0, as relu′(0) = 0)

    @staticmethod
    def sign(x):
        return np.sign(x)

    maximum = staticmethod(np.maximum)
    minimum = staticmethod(np.minimum)

    @staticmethod
    def share(x, y):
        return np.where(np.greater(x, y), 1.0, np.where(np.equal(x, y), 0.5, 0.0))  # ½ at a tie

    @staticmethod
    def logsumexp(xs: Sequence):
        top = xs[0]
        for x in xs[1:]:
            top = np.maximum(top, x)
        total = 0.0
        for x in xs:
            total = total + np.exp(x - top)
        return top + np.log(total)

    @staticmethod
    def is_integer(x):
        return np.floor(x) == x

    @staticmethod
    def sum(xs: Sequence):
        total = xs[0]
        for x in xs[1:]:
            total = total + x  # a new array each time: the terms may be other nodes' values
        return total


NUMPY = NumpyMath()
