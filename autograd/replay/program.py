"""Compiling a recorded graph into a program: steps over blocks (see the package docstring).

Nodes are grouped level by level: the units of one layer become one affine step, nodes of one
fixed-arity rule with arguments in the same blocks one elementwise step, a sum one reduction, and
anything else a step of its own.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from autograd import ops
from autograd.replay.rows import Constants, INPUTS, PARAMETERS, Rows, source_of
from autograd.replay.steps import AffineStep, ElementwiseStep, NodeStep, SumStep, all_finite_in
from autograd.value import Value


class Program:
    """The compiled steps, the blocks' sizes and where each node's value is."""

    def __init__(self) -> None:
        self.rows: list[int] = []       # rows of each block
        self.varying: list[bool] = []   # whether each block differs from sample to sample
        self.steps: list = []
        self.location: list = []        # node index -> (block, row)
        self.root_block = self.root_row = 0
        self.varying_rows = 0
        self.input_rows: list = []      # column j of a batch -> row of the input block (None: unused)
        self.used_columns = None        # the columns of a batch the root depends on (None: all, in order)
        self.readers: dict = {}         # block -> every Rows reading it, so that its rows can move
        self.moved: dict = {}           # block -> where each of its rows went, once rearranged
        self.param_rows = None          # parameter i (in Replay.parameters order) -> its row
        self.param_layout: list = []    # row r of the parameter block -> parameter index

    def move_rows(self, block: int, new_row: Sequence[int]) -> None:
        """Rearrange a block: its row r becomes row new_row[r]; every reader follows."""
        for reader in self.readers.get(block, ()):
            reader.rows = [new_row[r] for r in reader.rows]
            reader.arrange(self)
        before = self.moved.get(block)
        self.moved[block] = list(new_row) if before is None else [new_row[r] for r in before]

    def where(self, i: int) -> tuple[int, int]:
        """(block, row) of the node at index i of the topological order."""
        block, row = self.location[i]
        moved = self.moved.get(block)
        return (block, row) if moved is None else (block, moved[row])

    def new_block(self, rows: int, varying: bool) -> int:
        self.rows.append(rows)
        self.varying.append(varying)
        if varying:
            self.varying_rows += rows
        return len(self.rows) - 1

    def forward(self, data: np.ndarray, params: np.ndarray, offset: int):
        """Run every step on ``data`` (samples × inputs, the samples from ``offset`` on)."""
        values: list = [None] * len(self.rows)
        used = self.used_columns
        values[INPUTS] = np.ascontiguousarray(data.T) if used is None else data.T[used]
        values[PARAMETERS] = params
        store: list = [None] * len(self.steps)
        pending: list = []  # arrays that must be finite: values and partials the steps computed
        with np.errstate(all="ignore"):  # a non-finite number is reported by its step, with its sample
            for k, step in enumerate(self.steps):
                store[k] = step.forward(values, offset, pending)
            if pending and not all_finite_in(pending):
                for k, step in enumerate(self.steps):  # find the first: its step says where and why
                    step.check(values, store[k], offset)
        return values, store

    def backward(self, values: list, store: list, seed: np.ndarray, summed: bool) -> list:
        grads: list = [None] * len(self.rows)
        root = self.root_block
        seed = seed.reshape(1, -1)
        if summed and not self.varying[root]:
            seed = seed.sum(axis=1, keepdims=True)
        if self.rows[root] == 1:
            grads[root] = seed.copy()
        else:
            g = grads[root] = np.zeros((self.rows[root], seed.shape[1]))
            g[self.root_row] = seed[0]
        for k in range(len(self.steps) - 1, -1, -1):
            self.steps[k].backward(values, store[k], grads, self, summed)
        return grads

    def input_grads(self, grads: list, out: np.ndarray, offset: int) -> None:
        g = grads[INPUTS]
        if g is None:
            return
        n = g.shape[1]
        for j, r in enumerate(self.input_rows):
            if r is not None:
                out[offset:offset + n, j] = g[r]


def compile_graph(order: list, index: dict, inputs: tuple, parameters: tuple) -> Program:
    program = Program()
    n = len(order)
    varying = [False] * n
    location: list = [None] * n
    input_ids = {id(x): j for j, x in enumerate(inputs)}
    used_inputs = [x for x in inputs if id(x) in index]
    program.new_block(len(used_inputs), True)   # INPUTS
    program.new_block(len(parameters), False)   # PARAMETERS
    input_row = {id(x): r for r, x in enumerate(used_inputs)}
    program.input_rows = [input_row.get(id(x)) for x in inputs]
    if len(used_inputs) != len(inputs):
        program.used_columns = np.array([j for j, r in enumerate(program.input_rows) if r is not None], dtype=np.intp)
    param_row = {id(p): r for r, p in enumerate(parameters)}
    level = [0] * n
    for i, v in enumerate(order):
        if not v.parents:
            if id(v) in input_ids:
                varying[i], location[i] = True, (INPUTS, input_row[id(v)])
            else:
                location[i] = (PARAMETERS, param_row[id(v)])
            continue
        ps = [index[id(p)] for p in v.parents]
        varying[i] = any(varying[s] for s in ps)
        level[i] = 1 + max(level[s] for s in ps)
    # Group the operation nodes level by level (nodes of one level never depend on each other),
    # in topological order within a level, so that the program is the same every time.
    by_level: dict[int, list[int]] = {}
    for i, v in enumerate(order):
        if v.parents:
            by_level.setdefault(level[i], []).append(i)
    for lev in sorted(by_level):
        groups: dict = {}
        singles: list = []
        for i in by_level[lev]:
            v = order[i]
            rule = ops.RULES[v.op]
            entries = _entries(v, index, location)
            if rule.arity is not None:
                key = ("elementwise", v.op, varying[i], tuple(e[0] if e[0] != "c" else "c" for e in entries))
            elif v.op == "linear" and varying[i]:
                key = _affine_key(entries, program)
            elif v.op == "sum":
                key = None
                singles.append(("sum", i, entries))
                continue
            else:
                key = None
            if key is None:
                singles.append(("node", i, entries))
            else:
                groups.setdefault(key, []).append((i, entries))
        for key, members in groups.items():
            if key[0] == "elementwise":
                _add_elementwise(program, order, location, varying, members)
            else:
                _add_affine(program, order, location, varying, members, key)
        for kind, i, entries in singles:
            if kind == "sum":
                _add_sum(program, order, location, varying, i, entries)
            else:
                _add_node(program, order, location, varying, i, entries)
    program.location = location
    _lay_out(program, len(parameters))
    program.root_block, program.root_row = program.where(n - 1)
    return program


def _lay_out(program: Program, k_par: int) -> None:
    """Order the parameter block so that each layer reads its weights and biases as one slice, and
    order each group of nodes made from parameters alone (the squares of an L2 term) as the
    parameters are, so that it reads the whole block at once."""
    layout: list = []
    placed: set = set()
    for step in program.steps:
        if isinstance(step, AffineStep):
            for arg in (step.w, step.b):
                rows = arg if isinstance(arg, Rows) else getattr(arg, "rows", None)
                if rows is not None and rows.block == PARAMETERS:
                    for r in rows.rows:
                        if r not in placed:
                            placed.add(r)
                            layout.append(r)
    layout += [r for r in range(k_par) if r not in placed]
    new_row = [0] * k_par
    for new, old in enumerate(layout):
        new_row[old] = new
    program.move_rows(PARAMETERS, new_row)
    program.param_layout = layout
    program.param_rows = np.array(new_row, dtype=np.intp)
    for step in program.steps:
        if isinstance(step, ElementwiseStep):
            sources = [step.args[k] for k in step.parents_at]
            if sources and all(a.block == PARAMETERS for a in sources):
                step.sort_rows(program, sources[0].rows)


def _entries(v: Value, index: dict, location: list) -> list:
    """Every argument of ``v`` in order: ("c", number) for a constant, else its (block, row)."""
    parents = iter(v.parents)
    consts = v.consts if v.consts is not None else (None,) * len(v.parents)
    return [("c", c) if c is not None else location[index[id(next(parents))]] for c in consts]


def _affine_key(entries: list, program: Program):
    """The key that groups the units of one layer: the same inputs (``X``), in the same order; or
    None when this node cannot be part of an affine step."""
    n = len(entries) // 2
    if n == 0:
        return None
    fixed = [e[0] == "c" or not program.varying[e[0]] for e in entries]
    first, second = entries[:n], entries[n:2 * n]
    if all(fixed[:n]) and not all(fixed[n:2 * n]):
        weights_first = True
        xs = second
    elif all(fixed[n:2 * n]) and not all(fixed[:n]):
        weights_first = False
        xs = first
    else:
        return None
    return ("affine", weights_first, len(entries) % 2 == 1, tuple(xs))


def _add_elementwise(program: Program, order: list, location: list, varying: list, members: list) -> None:
    first = order[members[0][0]]
    rule = ops.RULES[first.op]
    varies = varying[members[0][0]]
    block = program.new_block(len(members), varies)
    for r, (i, _) in enumerate(members):
        location[i] = (block, r)
    args = []
    for pos in range(len(members[0][1])):
        column = [entries[pos] for _, entries in members]
        if column[0][0] == "c":
            args.append(Constants(np.array([e[1] for e in column], dtype=float).reshape(-1, 1)))
        else:
            args.append(Rows(program, column[0][0], [e[1] for e in column]))
    program.steps.append(ElementwiseStep(rule, block, args, [order[i] for i, _ in members]))


def _add_affine(program: Program, order: list, location: list, varying: list, members: list, key) -> None:
    _, weights_first, has_bias, xs = key
    n = len(xs)
    x_arg = source_of(list(xs), program)
    w_entries, b_entries = [], []
    for _, entries in members:
        w_entries += entries[:n] if weights_first else entries[n:2 * n]
        if has_bias:
            b_entries.append(entries[-1])
    w_arg = source_of(w_entries, program)
    b_arg = source_of(b_entries, program) if has_bias else None
    if x_arg is None or w_arg is None or (has_bias and b_arg is None):
        for i, entries in members:  # parents spread over several blocks: one node at a time
            _add_node(program, order, location, varying, i, entries)
        return
    block = program.new_block(len(members), True)
    for r, (i, _) in enumerate(members):
        location[i] = (block, r)
    program.steps.append(AffineStep(block, len(members), n, w_arg, x_arg, b_arg, [order[i] for i, _ in members]))


def _add_sum(program: Program, order: list, location: list, varying: list, i: int, entries: list) -> None:
    sources: dict = {}
    constant = 0.0
    for e in entries:
        if e[0] == "c":
            constant += e[1]
        else:
            sources.setdefault(e[0], []).append(e[1])
    block = program.new_block(1, varying[i])
    location[i] = (block, 0)
    parts = [Rows(program, b, rows, unordered=True) for b, rows in sources.items()]
    program.steps.append(SumStep(block, parts, constant, order[i]))


def _add_node(program: Program, order: list, location: list, varying: list, i: int, entries: list) -> None:
    v = order[i]
    block = program.new_block(1, varying[i])
    location[i] = (block, 0)
    args = [Constants(float(e[1])) if e[0] == "c" else Rows(program, e[0], [e[1]]) for e in entries]
    program.steps.append(NodeStep(ops.RULES[v.op], block, args, v))
