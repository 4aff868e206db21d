"""Turning a user's number into a finite float, or an error that says what was wrong.

`as_float` is what every entry point (``Value(...)``, a constant in an operation, the seed of
``backward``, a problem file's number) goes through, so that a bool, a string, NaN or a 400-digit
integer is refused the same way everywhere.
"""

from __future__ import annotations

import math
import numbers

_INF = math.inf
_FLOAT_MAX = 1.7976931348623157e308
INT_LIMIT = int(_FLOAT_MAX)  # ints beyond this (in size) are too large for a float


def describe(x: object) -> str:
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def _too_large(x: object, what: str) -> ValueError:
    digits = int(abs(int(x)).bit_length() * 0.30103) + 1 if isinstance(x, numbers.Integral) else None
    size = f"an integer of about {digits} digits" if digits else describe(x)
    return ValueError(f"{what} is too large for a float: {size} is beyond float64's range (about ±1.8e308); "
                      f"scale it down, or compute with logarithms")


def as_float(x: object, what: str = "value") -> float:
    """Coerce a user's number to a finite Python float, or raise a TypeError/ValueError that says why.

    Accepts int, float, fractions and numpy scalars (also 0-d arrays). Rejects bool (almost always a
    slip: write 1.0 or 0.0), complex, str, None and containers, non-finite numbers, and numbers too
    large for a float (a 400-digit integer).

    >>> as_float(3), as_float(0.5)
    (3.0, 0.5)
    """
    cls = x.__class__
    if cls is float:
        f = x
    elif cls is int:
        if not -INT_LIMIT <= x <= INT_LIMIT:
            raise _too_large(x, what)
        f = float(x)
    elif isinstance(x, bool):
        raise TypeError(f"{what} must be a real number, got the bool {x!r}; write 1.0 or 0.0 if you mean a number")
    elif isinstance(x, numbers.Real):
        try:
            f = float(x)
        except OverflowError:
            raise _too_large(x, what) from None
    elif getattr(x, "shape", None) == () and hasattr(x, "dtype") and x.dtype.kind in "iuf":
        f = float(x)  # a 0-d numpy array
    else:
        raise TypeError(
            f"{what} must be a real number (int, float or numpy scalar), got {describe(x)} of type "
            f"{type(x).__name__}; convert it with float(...) or pick one element of a sequence")
    if not -_INF < f < _INF:
        raise ValueError(f"{what} must be finite, got {f!r}; NaN and infinity cannot be differentiated through")
    return f
