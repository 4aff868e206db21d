"""Numbers as a student writes them: the text, the significant digits and the last decimal place it
shows, and whether another number rounds to it there; rounding and truncating to a number of
significant digits or decimals, as by hand.

>>> w = written("-0.0925")
>>> (w.value, w.digits, w.decimals, w.matches(-0.09248), w.matches(-0.09243))
(-0.0925, 3, 4, True, False)
>>> written("1.164").units_off(1.1646), written("3.8e-11").digits
(0.6, 2)
>>> rounder("round", "dec", 3)(1.1646), rounder("truncate", "dec", 3)(1.1646), rounder("round", "sig", 2)(-0.09248)
(1.165, 1.164, -0.092)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable

# A value rounds to a written number when it lies within half a unit of the last place written;
# this much more (relative) absorbs the last bits of floating point.
_SLACK = 1e-9


@dataclass(frozen=True)
class Written:
    """A number as written.

    Attributes:
        text: the text, with ``_`` and the Unicode minus normalised (``-0.0925``).
        value: the number.
        digits: its significant digits (3 for ``-0.0925``, 1 for ``2``, 4 for ``1.000``).
        decimals: the places after the point it shows (4 for ``-0.0925``; negative for ``3e2``).
    """

    text: str
    value: float
    digits: int
    decimals: int

    @property
    def unit(self) -> float:
        """One unit in the last place written: 0.0001 for ``-0.0925``."""
        return 10.0 ** -self.decimals

    def units_off(self, x: float) -> float:
        """How many units of the last place written ``x`` lies from this number."""
        if not math.isfinite(x):
            return math.inf
        return round(abs(x - self.value) / self.unit, 9)

    def matches(self, x: float, tolerance: float | None = None) -> bool:
        """Whether ``x`` rounds to this number at the precision written (ties either way), or with
        ``tolerance``, whether it lies within that distance."""
        if not math.isfinite(x):
            return False
        if tolerance is not None:
            return abs(x - self.value) <= tolerance
        return abs(x - self.value) <= 0.5 * self.unit * (1 + _SLACK)

    def __str__(self) -> str:
        return self.text


def written(text: str) -> Written:
    """Read a number as written (see `Written`).

    Raises:
        ValueError: not a finite number; the message says what a number looks like.
    """
    raw = str(text).strip()
    clean = raw.replace("_", "").replace("−", "-").removeprefix("+")
    try:
        d = Decimal(clean)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number; write it as in -0.0925, 2 or 3.8e-11") from None
    if not d.is_finite():
        raise ValueError(f"{raw!r} is not a finite number")
    sign, digits, exponent = d.as_tuple()
    significant = len("".join(map(str, digits)).lstrip("0")) or 1
    return Written(clean, float(d), significant, -int(exponent))


def from_float(x: float) -> Written:
    """A Python float as written: its shortest repr (0.0925 -> 3 significant digits)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"expected a number, got {x!r}")
    return written(str(int(x)) if isinstance(x, int) else repr(float(x)))


def _decimal(x: float) -> Decimal:
    # 12 significant digits: what a student's arithmetic carries, without the last bits of a
    # float (0.35000000000000003 truncates to 0.35, not 0.34).
    return Decimal(format(x, ".12g"))


def rounder(how: str, mode: str, digits: int) -> Callable[[float], float]:
    """A function rounding (``how="round"``, half up) or truncating (``"truncate"``) a number to
    ``digits`` significant digits (``mode="sig"``) or ``digits`` decimals (``mode="dec"``)."""
    rounding = ROUND_HALF_UP if how == "round" else ROUND_DOWN

    def apply(x: float) -> float:
        if not math.isfinite(x) or x == 0:
            return x
        d = _decimal(x)
        places = digits if mode == "dec" else digits - 1 - d.adjusted()
        return float(d.quantize(Decimal(1).scaleb(-places), rounding=rounding))

    return apply
