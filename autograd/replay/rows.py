"""How a compiled step reads its arguments out of blocks and adds their gradients back.

A *block* is an array of node values, one row per node and one column per sample. A step's argument
is some rows of one block (`Rows`), rows with constants between them (`Mixed`) or constants alone
(`Constants`).

A ``program`` argument is the `Program` being built or run (program.py), passed in: program.py
imports this module, not the reverse.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

INPUTS, PARAMETERS = 0, 1  # the blocks of the inputs and of the parameters
add_reduce = np.add.reduce


class Rows:
    """Some rows of one block, in order: how a step reads an argument and adds back its gradient.

    ``kind`` is "all" (the whole block, in order: a view), "slice" (consecutive rows: a view),
    "take" (any rows, each at most once) or "repeat" (rows that repeat: gradients added with
    ``np.add.at``). ``unordered``: the reader does not care in which order the rows come (a sum),
    so any arrangement of the whole block reads it as "all".
    """

    __slots__ = ("block", "rows", "unordered", "kind", "where", "fixed")

    def __init__(self, program, block: int, rows: Sequence[int], unordered: bool = False) -> None:
        self.block, self.rows, self.unordered = block, list(rows), unordered
        program.readers.setdefault(block, []).append(self)
        self.arrange(program)

    def arrange(self, program) -> None:
        """Work out the cheapest way to read the rows (again, after the block's rows moved)."""
        rows, size = self.rows, program.rows[self.block]
        self.fixed = not program.varying[self.block]
        if rows == list(range(size)) or (self.unordered and sorted(rows) == list(range(size))):
            self.kind, self.where = "all", None
        elif rows == list(range(rows[0], rows[0] + len(rows))):
            self.kind, self.where = "slice", slice(rows[0], rows[0] + len(rows))
        else:
            self.kind = "take" if len(set(rows)) == len(rows) else "repeat"
            self.where = np.array(rows, dtype=np.intp)

    def take(self, values: list):
        v = values[self.block]
        return v if self.kind == "all" else v[self.where]

    def add(self, grads: list, contribution, program, summed: bool, fresh: bool = False) -> None:
        """Add ``contribution`` into these rows' gradients. ``fresh``: nothing else holds it, so it
        may become the block's gradient array itself."""
        block = self.block
        width = contribution.shape[-1]
        if summed and width != 1 and self.fixed:
            contribution = add_reduce(contribution, axis=-1, keepdims=True)  # the same for every sample
            width, fresh = 1, True
        g = grads[block]
        kind = self.kind
        if g is None:
            if kind == "all" and contribution.shape[0] == program.rows[block]:
                grads[block] = contribution if fresh else contribution.copy()
                return
            g = grads[block] = np.zeros((program.rows[block], width))
        elif g.shape[-1] < width:
            g = grads[block] = np.repeat(g, width, axis=1)
        if kind == "all":
            g += contribution
        elif kind == "repeat":
            np.add.at(g, self.where, np.broadcast_to(contribution, (len(self.where), g.shape[-1])))
        else:
            g[self.where] += contribution


class Mixed:
    """An argument whose entries are partly constants: rows of one block where parents stand."""

    __slots__ = ("template", "positions", "rows")

    def __init__(self, template: np.ndarray, positions: list, rows: Rows | None) -> None:
        self.template = template.reshape(-1, 1)
        self.positions = np.array(positions, dtype=np.intp)
        self.rows = rows

    def take(self, values: list):
        if self.rows is None:
            return self.template
        part = self.rows.take(values)
        out = np.empty((len(self.template), part.shape[-1]))
        out[:] = self.template
        out[self.positions] = part
        return out

    def add(self, grads: list, contribution, program, summed: bool, fresh: bool = False) -> None:
        if self.rows is not None:
            self.rows.add(grads, contribution[self.positions], program, summed, fresh=True)


def source_of(entries: list, program):
    """An argument made of ``entries`` — each ("c", number) or (block, row) — or None when its
    parents lie in more than one block."""
    blocks = {e[0] for e in entries if e[0] != "c"}
    if len(blocks) > 1:
        return None
    block = blocks.pop() if blocks else None
    rows = [e[1] for e in entries if e[0] != "c"]
    if len(rows) == len(entries):
        return Rows(program, block, rows)
    template = np.array([e[1] if e[0] == "c" else 0.0 for e in entries], dtype=float)
    positions = [k for k, e in enumerate(entries) if e[0] != "c"]
    return Mixed(template, positions, Rows(program, block, rows) if rows else None)


class Constants:
    """Constant arguments: one per row, shape (rows, 1); or one number, for a single node."""

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def take(self, values: list):
        return self.values
