"""Whole derivations worked under one consistent mistake in reading the sheet's matrices — a
bias-first layer's bias row taken as its last row (α = Wᵀ[x; 1] instead of Wᵀ[1; x]), a square
matrix transposed — so that every number of a student who made it, from the forward pass to the
update, can be recognised. Each is the worked solution of the problem with the matrix as the student
read it: the mistake is recomputed by the same engine, never written down as a number.
"""

from __future__ import annotations

import dataclasses

from autograd import notation
from homework.check.plan import GRADIENTS, LOCAL, UPDATED


def whole_derivations(key, make_key) -> list:
    """``[(kind, what, {entry position: value})]`` for the key's problem (see the module docstring).
    ``make_key`` builds a key from a solution (the key's own class, passed in so that this module
    needs no import of key.py, which imports this one)."""
    problem, solution = key.problem, key.solution
    if problem is None:
        return []
    layers = solution.net.layers
    out = []
    bias_first = [layer.index for layer in layers if layer.bias_row]
    subsets = [(l,) for l in bias_first] + ([tuple(bias_first)] if len(bias_first) > 1 else [])
    for subset in subsets:
        names = ", ".join(notation.to_text(layers[l - 1].weight_name) for l in subset)
        what = (f"{names}: the bias row read as the last row, α = Wᵀ[x; 1], where the bias-first rule puts it "
                f"first, α = Wᵀ[1; x]")
        moved = {l: (lambda r, c, rows: ((r + 1) % rows, c)) for l in subset}
        weights = [(_rows_rotated(w) if k + 1 in subset else w) for k, w in enumerate(problem.weights)]
        found = _worked(key, make_key, weights, moved, "bias row mixed up", what)
        if found:
            out.append(found)
    for layer in layers:
        rows, cols = layer.weight_shape
        if rows == cols and rows > 1:
            name = notation.to_text(layer.weight_name)
            weights = [([list(col) for col in zip(*w)] if k + 1 == layer.index else w)
                       for k, w in enumerate(problem.weights)]
            found = _worked(key, make_key, weights, {layer.index: lambda r, c, n: (c, r)}, "transposed index",
                            f"{name} transposed: {name}ᵀ used for {name}")
            if found:
                out.append(found)
    return out


def _rows_rotated(w: list) -> list:
    """The matrix a bias-last reading amounts to: row i + 1 holds what the student put at row i,
    and the row read as the bias (the last) comes first."""
    return [list(w[-1])] + [list(row) for row in w[:-1]]


def _worked(key, make_key, weights: list, moved: dict, kind: str, what: str):
    try:
        other = make_key(dataclasses.replace(key.problem, weights=weights).solve())
    except (ValueError, ArithmeticError):
        return None  # the misread matrices leave the domain somewhere: nothing to compare with
    values = {(e.section, e.name): e.value for e in other.entries}
    rename = {}
    for layer in key.solution.net.layers:
        if layer.index in moved:
            rows = len(layer.W)
            for r, row in enumerate(layer.W):
                for c, w in enumerate(row):
                    r2, c2 = moved[layer.index](r, c, rows)
                    rename[notation.to_text(w.label)] = notation.to_text(other.solution.net.layers[layer.index - 1]
                                                                         .W[r2][c2].label)
    found = {}
    for e in key.entries:
        name = e.name
        if e.section in (GRADIENTS, UPDATED):
            name = rename.get(name, name)
        elif e.section == LOCAL:
            top, bottom = name[1:].split("/∂", 1)
            name = f"∂{top}/∂{rename.get(bottom, bottom)}"
        if (e.section, name) in values:
            found[e.index] = values[e.section, name]
    return (kind, what, found)
