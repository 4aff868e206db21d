"""The two conventions sheets write a layer's weights in, and a sheet's numbers checked on the way in.

- ``"Wx+b"`` (seed 001, 003): ``z = W x + b``; W has shape (units, inputs), row u holds unit u's
  weights; biases, if any, are a separate vector of shape (units,).
- ``"W^T x"`` (seed 002): ``α = Wᵀ x``; W has shape (inputs, units), column u holds unit u's
  weights. With ``bias_row=True`` (the default) the bias is folded in as the FIRST row of W and a
  constant 1 is put in front of the input, so W has shape (1 + inputs, units).

Matrices, bias vectors and inputs arrive as nested lists, numpy arrays or Values; the functions here
turn them into checked arrays (or leaves) and say exactly what is wrong with a shape or an entry.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from autograd import Value, as_float

WX_B = "Wx+b"
WT_X = "W^T x"
CONVENTIONS = (WX_B, WT_X)

_CONVENTION_SPELLINGS = {
    "wx+b": WX_B, "wx": WX_B, "z=wx+b": WX_B, "w@x+b": WX_B,
    "w^tx": WT_X, "wᵀx": WT_X, "w^t x": WT_X, "w.tx": WT_X, "w^tx+b": WT_X, "transposed": WT_X,
}


def convention(spec: str) -> str:
    """The canonical name (``"Wx+b"`` or ``"W^T x"``) of a convention written in any usual way.

    >>> convention("W x + b"), convention("Wᵀx"), convention("W^T x")
    ('Wx+b', 'W^T x', 'W^T x')
    """
    if not isinstance(spec, str):
        raise TypeError(f"convention must be a str, 'Wx+b' or 'W^T x', got {spec!r}")
    key = spec.replace(" ", "").lower()
    if key in _CONVENTION_SPELLINGS:
        return _CONVENTION_SPELLINGS[key]
    raise ValueError(f"unknown convention {spec!r}; use 'Wx+b' (W of shape (units, inputs), separate biases) "
                     f"or 'W^T x' (W of shape (inputs, units), bias as the first row)")


canonical_convention = convention  # for methods whose parameter named `convention` shadows the function


def shape_text(a: np.ndarray) -> str:
    return "(" + ", ".join(str(n) for n in a.shape) + ("," if a.ndim == 1 else "") + ")"


def holds_values(x: object) -> bool:
    if isinstance(x, Value):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype == object and any(holds_values(e) for e in x.flat)
    if isinstance(x, (list, tuple)):
        return any(holds_values(e) for e in x)
    return False


def as_matrix(W: object, what: str) -> np.ndarray:
    """A finite 2-D array from numbers, nested lists or an array, or a clear error.

    Entries that are Values are kept (an object array): they become the layer's parameters
    themselves, e.g. to share a weight or to run `autograd.gradcheck` over a whole network.
    """
    if holds_values(W):
        a = np.array(W, dtype=object)
        if a.ndim != 2 or any(isinstance(e, (list, tuple, np.ndarray)) for e in a.flat):
            raise ValueError(f"{what} must be a rectangular 2-D matrix (rows of equal length), got {W!r}")
        for e in a.flat:
            if not isinstance(e, Value):
                as_float(e, f"an entry of {what}")
        return a
    try:
        a = np.array(W, dtype=float)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{what} must be a rectangular matrix of numbers (rows of equal length), got {W!r} ({e})") from None
    if a.ndim != 2:
        hint = ""
        if a.ndim == 1:
            hint = (f"; write a column as [[{a[0]:g}], [{a[1]:g}], ...] or a row as [[{a[0]:g}, {a[1]:g}, ...]]"
                    if a.size >= 2 else "; write a 1×1 matrix as [[w]]")
        raise ValueError(f"{what} must be a 2-D matrix, got shape {shape_text(a)}{hint}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} must hold finite numbers, got {a.tolist()}")
    return a


def as_vector(b: object, n: int, what: str, context: str) -> np.ndarray:
    if holds_values(b):
        a = np.array(b if not isinstance(b, Value) else [b], dtype=object)
        for e in a.flat:
            if not isinstance(e, Value):
                as_float(e, f"an entry of {what}")
    else:
        try:
            a = np.array(b, dtype=float)
        except (ValueError, TypeError) as e:
            raise ValueError(f"{what} must be a vector of numbers, got {b!r} ({e})") from None
    if a.shape in ((n,), (n, 1), (1, n)) or (n == 1 and a.shape == ()):
        a = a.reshape(n)
    else:
        raise ValueError(f"{what} has shape {shape_text(a)}, expected ({n},): one bias per unit ({context})")
    if a.dtype != object and not np.all(np.isfinite(a)):
        raise ValueError(f"{what} must hold finite numbers, got {a.tolist()}")
    return a


def parameter_leaf(x: object, label: str) -> Value:
    """A parameter leaf: a given Value is used as it is (named if it has no name), a number becomes one."""
    if isinstance(x, Value):
        if x.op:
            raise ValueError(f"a parameter must be a leaf Value, but {x.label or x!r} was computed by {x.op!r}")
        if not x.label:
            x.label = label
        return x
    return Value(float(x), label=label)


def as_inputs(x: object, n: int, names: Sequence[str], what: str = "the input") -> list:
    """Inputs as a list: Values stay as they are, numbers become leaves named x₁, x₂, ..."""
    if isinstance(x, Value):
        x = [x]
    elif hasattr(x, "shape") and hasattr(x, "tolist"):
        if len(x.shape) > 1 and sum(s != 1 for s in x.shape) > 1:
            raise ValueError(f"{what} must be a vector, got an array of shape {tuple(x.shape)}")
        x = np.asarray(x).reshape(-1).tolist()
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        x = [x]
    x = list(x)
    if len(x) != n:
        shown = ", ".join(names[:n]) if names else f"{n} values"
        raise ValueError(f"{what} has {len(x)} entries, expected {n} ({shown})")
    out = []
    for k, v in enumerate(x):
        if isinstance(v, Value):
            out.append(v)
        else:
            out.append(Value(v, label=names[k] if names else ""))
    return out
