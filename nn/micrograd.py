"""Building networks micrograd's way: ``Neuron(nin)``, ``Layer(nin, nout, nonlin=...)``, ``MLP(nin, nouts)``.

micrograd draws every weight from ``random.uniform(-1, 1)`` (Python's global generator), neuron by
neuron, and starts every bias at 0; ``nonlin`` chooses ReLU (True) or nothing (False), and a layer
or network with one output returns that output's Value rather than a list. Built this way, a
chainrule network after ``random.seed(s)`` has exactly the weights micrograd's has after the same
seed, so micrograd's code runs here with only its imports changed and prints the same numbers.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np


def is_count(n: object) -> bool:
    """Whether ``n`` is a whole number (not a bool): micrograd passes sizes where chainrule passes weights."""
    return isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))


def uniform_weights(n_units: int, n_inputs: int) -> np.ndarray:
    """An (n_units × n_inputs) matrix drawn row by row from ``random.uniform(-1, 1)``, as micrograd does."""
    return np.array([[random.uniform(-1, 1) for _ in range(n_inputs)] for _ in range(n_units)], dtype=float)


def choose_activation(activation: Any, nonlin: bool | None) -> Any:
    """The activation to use when micrograd's ``nonlin`` may be given: ``"relu"`` for True, None
    (identity) for False; ``activation`` itself when ``nonlin`` is None.

    Raises:
        ValueError: both are given.
    """
    if nonlin is None:
        return activation
    if activation is not None:
        raise ValueError(f"give either activation= ({activation!r}) or micrograd's nonlin= ({nonlin!r}), not both")
    return "relu" if nonlin else None


def check_sizes(nin: object, nouts: object) -> list[int]:
    """``[nin, *nouts]`` for ``MLP(nin, nouts)``, checked.

    Raises:
        ValueError: nouts is not a non-empty list of whole numbers ≥ 1.
    """
    if (not isinstance(nouts, (list, tuple)) or not nouts or not all(is_count(n) and n >= 1 for n in nouts)
            or nin < 1):  # type: ignore[operator]
        raise ValueError(f"MLP(nin, nouts) takes the number of inputs and a list of each layer's units, as in "
                         f"micrograd: MLP(2, [16, 16, 1]); got MLP({nin!r}, {nouts!r}). To choose the "
                         f"activations, write MLP([2, 16, 16, 1], activations=[...])")
    return [int(nin)] + [int(n) for n in nouts]  # type: ignore[call-overload]
