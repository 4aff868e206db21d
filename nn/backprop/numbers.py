"""Numbers under the symbolic lines: vectors and matrices formatted as the problem asks (digits,
significant or decimal), the matrices of several samples (one column per sample), and the check of
each evaluated line against the engine's gradients (✓, or ✗ with the difference).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograd.derive.formula import Formula, number
from autograd.derive.model import Matrix
from autograd.notation import format_number

# A line agrees with the engine when |Δ| ≤ TOLERANCE·(1 + Σ|terms|) entry by entry.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Style:
    """How numbers are written: ``digits`` significant digits (``mode="sig"``) or decimals (``"dec"``)."""

    digits: int = 4
    mode: str = "sig"

    def text(self, x: float) -> str:
        return format_number(float(x), self.digits, self.mode)

    def matrix(self, a: np.ndarray) -> Matrix:
        """A vector (as a column) or a matrix as a `Matrix` block of formatted numbers."""
        a = np.asarray(a, dtype=float)
        if a.ndim == 0:
            a = a.reshape(1, 1)
        elif a.ndim == 1:
            a = a.reshape(-1, 1)
        return Matrix([[self.text(x) for x in row] for row in a])

    def scalar(self, x: float) -> Formula:
        return number(float(x), self.digits, self.mode)


def columns(vectors: list) -> np.ndarray:
    """Per-sample vectors side by side: one column per sample."""
    return np.column_stack([np.asarray(v, dtype=float).reshape(-1) for v in vectors])


def agrees(value: np.ndarray, engine: np.ndarray, scale: np.ndarray | None = None) -> tuple[bool, float]:
    """(every entry within tolerance, the largest |Δ|)."""
    value, engine = np.asarray(value, dtype=float), np.asarray(engine, dtype=float)
    diff = np.abs(value - engine.reshape(value.shape))
    bound = TOLERANCE * (1.0 + (np.abs(engine.reshape(value.shape)) if scale is None else np.asarray(scale).reshape(value.shape)))
    return bool(np.all(diff <= bound)), float(diff.max(initial=0.0))


def check(value: np.ndarray, engine: np.ndarray, what: list, scale: np.ndarray | None = None) -> list:
    """The note under an evaluated line: ``check: the engine's ∂ℓ/∂z⁽²⁾ ✓``, or ✗ with the largest
    difference (agreement is within rounding: the last bits of a difference are not shown, so a
    printout is the same on every machine)."""
    ok, largest = agrees(value, engine, scale)
    if ok:
        return ["check: the engine's ", *what, " ✓"]
    return ["check: the engine's ", *what, f" ✗ differs by up to {format_number(largest, 2)}"]
