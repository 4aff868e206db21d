"""Batched replay: record a scalar graph once, then run it forward and backward on a whole batch.

The scalar engine builds one graph per sample, which is what makes it explainable and also what
makes it slow for training. A `Replay` takes a graph built once (for one sample) and the leaves that
stand for the sample's inputs, and evaluates the same graph on numpy arrays holding every sample at
once. Nothing here knows a derivative: each node's forward value and local partials come from the
same rule in ops.py, called with `NUMPY` (a math namespace with the names of `ops.ScalarMath`) in
place of ``ops.SCALAR``. The other leaves are the parameters. Their values are read from ``.data``
at every `Replay.forward`, so an optimizer that updates ``p.data`` in place works unchanged.

>>> from autograd import Value, Replay
>>> w, x = Value(2.0, "w"), Value(0.0, "x")
>>> y = (w * x).tanh()
>>> rep = Replay(y, inputs=[x])
>>> rep.forward([[0.0], [0.5], [-1.0]]).round(4).tolist()     # one row per sample
[0.0, 0.7616, -0.964]
>>> rep.backward(per_sample=True).round(4).tolist()           # ∂y/∂w for each sample
[[0.0], [0.21], [-0.0707]]
>>> rep.backward().round(4).tolist()                          # ... and summed
[0.1393]

How the graph is run. At construction it is compiled into a short program of steps over *blocks*:
arrays holding the values of several nodes at once, one row per node and one column per sample (a
node that no input reaches has a single column, the same for every sample, computed once per run):

- the inputs form one block, the parameters another;
- `linear` nodes that read the same inputs (the units of one layer) become one *affine* step: one
  matrix product forward (Z = W·X + b) and two backward (∂W = G·Xᵀ, ∂X = Wᵀ·G);
- nodes of one fixed-arity rule at the same depth whose arguments come from the same blocks (the
  relu of a whole layer, the squares of all the parameters in an L2 term) become one *elementwise*
  step: the rule's forward and partials, called once on whole blocks;
- a `sum` becomes one *reduction* over the rows it adds;
- anything else (logsumexp, softmax, a `linear` with no layer structure) is replayed node by node.

A batch larger than ``chunk_size`` samples is run in chunks, so memory stays bounded whatever the
batch: `forward` keeps only the root's values, and `backward` runs each chunk forward again before
differentiating it. On a terminal, a chunked run shows a progress line on standard error.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Mapping, Sequence

import numpy as np

from autograd import ops
from autograd.errors import DomainError
from autograd.graph import topological_order
from autograd.value import Value, _walk_lock

__all__ = ["NUMPY", "NumpyMath", "Replay"]


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

_IN, _PAR = 0, 1  # the blocks of the inputs and of the parameters
_CHUNK_BYTES = 32 * 2 ** 20  # the memory one chunk's values and partials may take, roughly
_add_reduce = np.add.reduce
_isfinite = math.isfinite


# Rules whose value and partials are finite wherever their arguments are (bounded functions, or
# relu and neg): their steps need no check, since every argument was checked where it was made.
# tests/test_replay_blocks.py checks the claim on extreme arguments.
TOTAL_RULES = frozenset({"neg", "relu", "tanh", "sigmoid", "sin", "cos", "abs", "softplus"})


def _all_finite(a) -> bool:
    """Whether every entry of ``a`` is finite: one pass (the sum is finite unless an entry is not, or
    the sum overflows, which the exact test then clears)."""
    return _isfinite(_add_reduce(a, axis=None)) or bool(np.isfinite(a).all())


def _all_finite_in(arrays: list) -> bool:
    """Whether every entry of every array is finite; small arrays are checked in one pass together."""
    if sum(a.size for a in arrays) <= 1 << 16:
        return _all_finite(np.concatenate([a.ravel() for a in arrays]))
    return all(_all_finite(a) for a in arrays)


class Replay:
    """A recorded graph that evaluates a batch of samples at once, forward and backward.

    Args:
        root: the output Value of a graph built once, e.g. one sample's loss.
        inputs: the leaves that hold a sample's inputs (Values, or the labels of leaves of the graph),
            in the order of a batch's columns. Every other leaf is a parameter.

    Attributes:
        root (Value): the recorded output.
        inputs (tuple[Value, ...]): the input leaves, in column order.
        parameters (tuple[Value, ...]): the other leaves, in topological order; gradients are
            returned in this order.
        batch_size (int): the number of samples of the last `forward` (0 before it).

    Raises:
        TypeError: ``root`` is not a Value.
        ValueError: an input is not a leaf, is given twice, or a label names no leaf of the graph or
            several. (A leaf the root does not depend on is accepted: its column is ignored and its
            gradient is 0.)

    The recorded structure is fixed: a later change to the graph's shape needs a new Replay. Values
    of parameters are read again at every `forward`.
    """

    def __init__(self, root: Value, inputs: Sequence) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"Replay records the graph of a Value, got {type(root).__name__}")
        order = topological_order(root)
        index = {id(v): i for i, v in enumerate(order)}
        leaves = [v for v in order if not v.parents]
        leaf_ids = {id(v) for v in leaves}
        resolved = tuple(_resolve_input(x, leaves, leaf_ids) for x in inputs)
        seen = set()
        for x in resolved:
            if id(x) in seen:
                raise ValueError(f"input {_name(x)} is given twice; list each input leaf once")
            seen.add(id(x))
        self.root = root
        self.inputs = resolved
        self.parameters = tuple(v for v in leaves if id(v) not in seen)
        self.batch_size = 0
        self._nodes = order
        self._index = index
        self._program = _compile(order, index, resolved, self.parameters)
        self._params_laid_out = [self.parameters[i] for i in self._program.param_layout]
        self._run: _Run | None = None  # what the last forward computed
        self._grads: list | None = None
        self._input_grads: np.ndarray | None = None

    # -----------------------------------------------------------------------------------------
    def forward(self, batch, *, chunk_size: int | None = None, progress: bool | None = None) -> np.ndarray:
        """Evaluate the graph on every sample of ``batch``; remember what backward needs.

        Args:
            batch: a 2-D array-like of shape (samples, inputs), columns in the order of ``inputs``;
                a 1-D array-like when there is one input; or a mapping from each input (Value or
                label) to a 1-D array-like of the samples' values.
            chunk_size: run at most this many samples at a time (default: as many as fit in about
                32 MB of intermediate arrays). A batch run in chunks keeps only the root's values;
                `backward` and `values_of` run the chunks again.
            progress: show a progress line on standard error while chunks run (default: only when
                standard error is a terminal and there is more than one chunk).

        Returns:
            The root's value for each sample, shape (samples,).

        Raises:
            DomainError: an operation is undefined or not finite for some sample; the message
                names the operation, the sample's index in the batch and its argument values.
            ValueError / TypeError: the batch has the wrong shape or is not numeric, or
                ``chunk_size`` is not a positive integer.
        """
        data = self._batch(batch)
        n = self.batch_size
        chunk = self._chunk_size(chunk_size)
        program = self._program
        params = np.fromiter((p.data for p in self._params_laid_out), float, len(self.parameters)).reshape(-1, 1)
        self._grads = self._input_grads = None
        if n <= chunk:
            self._run = None
            values, store = program.forward(data, params, 0)
            self._run = _Run(data, params, chunk, progress, values, store)
            return _broadcast(values[program.root_block][program.root_row], n).copy()
        self._run = None
        out = np.empty(n)
        with _Progress("Replay forward", n, progress) as shown:
            for a in range(0, n, chunk):
                b = min(a + chunk, n)
                values, _ = program.forward(data[a:b], params, a)
                out[a:b] = _broadcast(values[program.root_block][program.root_row], b - a)
                shown.update(b)
        self._run = _Run(data, params, chunk, progress, None, None)
        return out

    def backward(self, weights=None, per_sample: bool = False, accumulate: bool = False) -> np.ndarray:
        """Gradients of the root with respect to the parameters, for the batch of the last `forward`.

        Args:
            weights: one factor per sample multiplying that sample's root (default 1 each); e.g.
                ``np.full(n, 1 / n)`` gives the gradient of the batch mean.
            per_sample: return one row of gradients per sample instead of their sum.
            accumulate: add the summed gradients into each parameter's ``.grad``, as
                ``Value.backward`` does for leaves (so an optimizer can step as usual).

        Returns:
            Summed over samples: shape (len(parameters),), in the order of ``parameters``.
            Per sample: shape (samples, len(parameters)).

        Raises:
            RuntimeError: `forward` has not been run.
            ValueError: ``weights`` does not have one entry per sample.
        """
        run = self._run
        if run is None:
            raise RuntimeError("call forward(batch) before backward(): the gradients are of that batch")
        n = self.batch_size
        if weights is None:
            seed = np.ones(n)
        else:
            seed = np.asarray(weights, dtype=float)
            if seed.shape != (n,):
                raise ValueError(f"weights needs one number per sample, shape ({n},), got shape {seed.shape}")
        program, summed = self._program, not per_sample
        k_par = len(self.parameters)
        if run.values is not None:  # one chunk: the forward's arrays are still here
            grads = program.backward(run.values, run.store, seed, summed)
            result = _parameter_grads(grads[_PAR], program.param_rows, k_par, n, summed)
            self._input_grads = grads  # laid out as a (samples, inputs) array when asked for
        else:
            input_grads = np.zeros((n, len(self.inputs)))
            result = np.zeros(k_par) if summed else np.zeros((n, k_par))
            with _Progress("Replay backward", n, run.progress) as shown:
                for a in range(0, n, run.chunk):
                    b = min(a + run.chunk, n)
                    values, store = program.forward(run.data[a:b], run.params, a)
                    grads = program.backward(values, store, seed[a:b], summed)
                    if summed:
                        result += _parameter_grads(grads[_PAR], program.param_rows, k_par, b - a, True)
                    else:
                        result[a:b] = _parameter_grads(grads[_PAR], program.param_rows, k_par, b - a, False)
                    program.input_grads(grads, input_grads, a)
                    shown.update(b)
            self._input_grads = input_grads
        if accumulate:
            totals = (result if summed else result.sum(axis=0)).tolist()
            with _walk_lock:  # the same lock as Value.backward: threads add in turn
                for p, g in zip(self.parameters, totals):
                    p.grad += g
        return result

    def input_gradients(self) -> np.ndarray:
        """∂(weighted root)/∂input for each sample of the last `backward`: shape (samples, inputs).

        Each sample's inputs are its own, so these are per sample whatever ``per_sample`` was.
        """
        found = self._input_grads
        if found is None:
            raise RuntimeError("call backward() first")
        if isinstance(found, list):  # the block gradients of a batch run in one piece
            out = np.zeros((self.batch_size, len(self.inputs)))
            self._program.input_grads(found, out, 0)
            self._input_grads = found = out
        return found.copy()

    def values_of(self, node: Value) -> np.ndarray:
        """The per-sample values of any node of the recorded graph, from the last `forward`."""
        i = self._index.get(id(node))
        if i is None or self._nodes[i] is not node:
            raise ValueError(f"{_name(node)} is not a node of the recorded graph")
        run = self._run
        if run is None:
            raise RuntimeError("call forward(batch) first")
        block, row = self._program.where(i)
        n = self.batch_size
        if run.values is not None:
            return _broadcast(run.values[block][row], n).copy()
        out = np.empty(n)
        for a in range(0, n, run.chunk):  # a chunked batch: run the chunks again
            b = min(a + run.chunk, n)
            values, _ = self._program.forward(run.data[a:b], run.params, a)
            out[a:b] = _broadcast(values[block][row], b - a)
        return out

    def __repr__(self) -> str:
        names = ", ".join(_name(x) for x in self.inputs)
        inner = sum(1 for v in self._nodes if v.parents)
        return (f"Replay({inner} operations in {len(self._program.steps)} steps, inputs=[{names}], "
                f"{len(self.parameters)} parameters)")

    # -----------------------------------------------------------------------------------------
    def _chunk_size(self, chunk_size) -> int:
        if chunk_size is None:
            return max(1024, _CHUNK_BYTES // (16 * max(self._program.varying_rows, 1)))
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive number of samples, got {chunk_size!r}")
        return chunk_size

    def _batch(self, batch) -> np.ndarray:
        """The batch as a float array of shape (samples, inputs), checked."""
        k = len(self.inputs)
        if batch.__class__ is not np.ndarray and isinstance(batch, Mapping):
            lookup = {}
            known = {id(x) for x in self.inputs}
            for key, col in batch.items():
                lookup[id(_resolve_input(key, self.inputs, known))] = col
            missing = [_name(x) for x in self.inputs if id(x) not in lookup]
            if missing:
                raise ValueError(f"the batch gives no values for input(s) {', '.join(missing)}")
            cols = [np.asarray(lookup[id(x)], dtype=float) for x in self.inputs]
            n = None
            for x, col in zip(self.inputs, cols):
                if col.ndim != 1:
                    raise ValueError(f"the values of input {_name(x)} must be 1-D (one per sample), got shape {col.shape}")
                if n is not None and col.shape[0] != n:
                    raise ValueError(f"every input needs the same number of samples; {_name(x)} has {col.shape[0]}, "
                                     f"not {n}")
                n = col.shape[0]
            arr = np.stack(cols, axis=1) if cols else np.zeros((0, 0))
        else:
            try:
                arr = np.asarray(batch, dtype=float)
            except (TypeError, ValueError) as e:
                raise TypeError(f"a batch must be numeric, shape (samples, {k}): {e}") from None
            if arr.ndim == 1 and k == 1:
                arr = arr[:, None]
            if arr.ndim != 2 or arr.shape[1] != k:
                raise ValueError(f"a batch needs shape (samples, {k}) — one column per input "
                                 f"({', '.join(_name(x) for x in self.inputs)}) — got shape {arr.shape}")
        if not k or not arr.shape[0]:
            raise ValueError("a batch needs at least one sample")
        if not _all_finite(arr):
            for j, x in enumerate(self.inputs):
                bad = np.flatnonzero(~np.isfinite(arr[:, j]))
                if bad.size:
                    raise ValueError(f"input {_name(x)} is {arr[bad[0], j]!r} at sample {bad[0]}: inputs must be finite")
        self.batch_size = arr.shape[0]
        return arr


class _Run:
    """What one `Replay.forward` leaves for backward: the batch, the parameters' values, and (for a
    batch run in one piece) every block's values and every step's partials."""

    __slots__ = ("data", "params", "chunk", "progress", "values", "store")

    def __init__(self, data, params, chunk, progress, values, store):
        self.data, self.params, self.chunk, self.progress = data, params, chunk, progress
        self.values, self.store = values, store


def _broadcast(row, n: int) -> np.ndarray:
    return row if row.shape[0] == n else np.broadcast_to(row, (n,))


def _parameter_grads(g, rows, k: int, n: int, summed: bool) -> np.ndarray:
    """The parameters' gradients in their order, from the parameter block's (rows in layout order)."""
    if g is None:
        return np.zeros(k) if summed else np.zeros((n, k))
    return g[rows, 0] if summed else np.ascontiguousarray(np.broadcast_to(g[rows], (k, n)).T)


# ---------------------------------------------------------------------------------------------
# Compiling a graph into steps over blocks


class _Rows:
    """Some rows of one block, in order: how a step reads an argument and adds back its gradient.

    ``kind`` is "all" (the whole block, in order: a view), "slice" (consecutive rows: a view),
    "take" (any rows, each at most once) or "repeat" (rows that repeat: gradients added with
    ``np.add.at``). ``unordered``: the reader does not care in which order the rows come (a sum),
    so any arrangement of the whole block reads it as "all".
    """

    __slots__ = ("block", "rows", "unordered", "kind", "where", "fixed")

    def __init__(self, program: "_Program", block: int, rows: Sequence[int], unordered: bool = False) -> None:
        self.block, self.rows, self.unordered = block, list(rows), unordered
        program.readers.setdefault(block, []).append(self)
        self.arrange(program)

    def arrange(self, program: "_Program") -> None:
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

    def add(self, grads: list, contribution, program: "_Program", summed: bool, fresh: bool = False) -> None:
        """Add ``contribution`` into these rows' gradients. ``fresh``: nothing else holds it, so it
        may become the block's gradient array itself."""
        block = self.block
        width = contribution.shape[-1]
        if summed and width != 1 and self.fixed:
            contribution = _add_reduce(contribution, axis=-1, keepdims=True)  # the same for every sample
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


class _Mixed:
    """An argument whose entries are partly constants: rows of one block where parents stand."""

    __slots__ = ("template", "positions", "rows")

    def __init__(self, template: np.ndarray, positions: list, rows: _Rows | None) -> None:
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

    def add(self, grads: list, contribution, program: "_Program", summed: bool, fresh: bool = False) -> None:
        if self.rows is not None:
            self.rows.add(grads, contribution[self.positions], program, summed, fresh=True)


def _source(entries: list, program: "_Program"):
    """An argument made of ``entries`` — each ("c", number) or (block, row) — or None when its
    parents lie in more than one block."""
    blocks = {e[0] for e in entries if e[0] != "c"}
    if len(blocks) > 1:
        return None
    block = blocks.pop() if blocks else None
    rows = [e[1] for e in entries if e[0] != "c"]
    if len(rows) == len(entries):
        return _Rows(program, block, rows)
    template = np.array([e[1] if e[0] == "c" else 0.0 for e in entries], dtype=float)
    positions = [k for k, e in enumerate(entries) if e[0] != "c"]
    return _Mixed(template, positions, _Rows(program, block, rows) if rows else None)


class _Program:
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
        self.readers: dict = {}         # block -> every _Rows reading it, so that its rows can move
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
        values[_IN] = np.ascontiguousarray(data.T) if used is None else data.T[used]
        values[_PAR] = params
        store: list = [None] * len(self.steps)
        pending: list = []  # arrays that must be finite: values and partials the steps computed
        with np.errstate(all="ignore"):  # a non-finite number is reported by its step, with its sample
            for k, step in enumerate(self.steps):
                store[k] = step.forward(values, offset, pending)
            if pending and not _all_finite_in(pending):
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
        g = grads[_IN]
        if g is None:
            return
        n = g.shape[1]
        for j, r in enumerate(self.input_rows):
            if r is not None:
                out[offset:offset + n, j] = g[r]


def _compile(order: list, index: dict, inputs: tuple, parameters: tuple) -> _Program:
    program = _Program()
    n = len(order)
    varying = [False] * n
    location: list = [None] * n
    input_ids = {id(x): j for j, x in enumerate(inputs)}
    used_inputs = [x for x in inputs if id(x) in index]
    program.new_block(len(used_inputs), True)   # _IN
    program.new_block(len(parameters), False)   # _PAR
    input_row = {id(x): r for r, x in enumerate(used_inputs)}
    program.input_rows = [input_row.get(id(x)) for x in inputs]
    if len(used_inputs) != len(inputs):
        program.used_columns = np.array([j for j, r in enumerate(program.input_rows) if r is not None], dtype=np.intp)
    param_row = {id(p): r for r, p in enumerate(parameters)}
    level = [0] * n
    for i, v in enumerate(order):
        if not v.parents:
            if id(v) in input_ids:
                varying[i], location[i] = True, (_IN, input_row[id(v)])
            else:
                location[i] = (_PAR, param_row[id(v)])
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


def _lay_out(program: _Program, k_par: int) -> None:
    """Order the parameter block so that each layer reads its weights and biases as one slice, and
    order each group of nodes made from parameters alone (the squares of an L2 term) as the
    parameters are, so that it reads the whole block at once."""
    layout: list = []
    placed: set = set()
    for step in program.steps:
        if isinstance(step, _Affine):
            for arg in (step.w, step.b):
                rows = arg if isinstance(arg, _Rows) else getattr(arg, "rows", None)
                if rows is not None and rows.block == _PAR:
                    for r in rows.rows:
                        if r not in placed:
                            placed.add(r)
                            layout.append(r)
    layout += [r for r in range(k_par) if r not in placed]
    new_row = [0] * k_par
    for new, old in enumerate(layout):
        new_row[old] = new
    program.move_rows(_PAR, new_row)
    program.param_layout = layout
    program.param_rows = np.array(new_row, dtype=np.intp)
    for step in program.steps:
        if isinstance(step, _Elementwise):
            sources = [step.args[k] for k in step.parents_at]
            if sources and all(a.block == _PAR for a in sources):
                step.sort_rows(program, sources[0].rows)


def _entries(v: Value, index: dict, location: list) -> list:
    """Every argument of ``v`` in order: ("c", number) for a constant, else its (block, row)."""
    parents = iter(v.parents)
    consts = v.consts if v.consts is not None else (None,) * len(v.parents)
    return [("c", c) if c is not None else location[index[id(next(parents))]] for c in consts]


def _affine_key(entries: list, program: _Program):
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


def _add_elementwise(program: _Program, order: list, location: list, varying: list, members: list) -> None:
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
            args.append(_Constants(np.array([e[1] for e in column], dtype=float).reshape(-1, 1)))
        else:
            args.append(_Rows(program, column[0][0], [e[1] for e in column]))
    program.steps.append(_Elementwise(rule, block, args, [order[i] for i, _ in members]))


def _add_affine(program: _Program, order: list, location: list, varying: list, members: list, key) -> None:
    _, weights_first, has_bias, xs = key
    n = len(xs)
    x_arg = _source(list(xs), program)
    w_entries, b_entries = [], []
    for _, entries in members:
        w_entries += entries[:n] if weights_first else entries[n:2 * n]
        if has_bias:
            b_entries.append(entries[-1])
    w_arg = _source(w_entries, program)
    b_arg = _source(b_entries, program) if has_bias else None
    if x_arg is None or w_arg is None or (has_bias and b_arg is None):
        for i, entries in members:  # parents spread over several blocks: one node at a time
            _add_node(program, order, location, varying, i, entries)
        return
    block = program.new_block(len(members), True)
    for r, (i, _) in enumerate(members):
        location[i] = (block, r)
    program.steps.append(_Affine(block, len(members), n, w_arg, x_arg, b_arg, [order[i] for i, _ in members]))


def _add_sum(program: _Program, order: list, location: list, varying: list, i: int, entries: list) -> None:
    sources: dict = {}
    constant = 0.0
    for e in entries:
        if e[0] == "c":
            constant += e[1]
        else:
            sources.setdefault(e[0], []).append(e[1])
    block = program.new_block(1, varying[i])
    location[i] = (block, 0)
    parts = [_Rows(program, b, rows, unordered=True) for b, rows in sources.items()]
    program.steps.append(_Sum(block, parts, constant, order[i]))


def _add_node(program: _Program, order: list, location: list, varying: list, i: int, entries: list) -> None:
    v = order[i]
    block = program.new_block(1, varying[i])
    location[i] = (block, 0)
    args = [_Constants(float(e[1])) if e[0] == "c" else _Rows(program, e[0], [e[1]]) for e in entries]
    program.steps.append(_Node(ops.RULES[v.op], block, args, v))


class _Constants:
    """Constant arguments: one per row, shape (rows, 1); or one number, for a single node."""

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def take(self, values: list):
        return self.values


# ---------------------------------------------------------------------------------------------
# Steps. Each has forward(values, offset) -> what its backward needs, and
# backward(values, saved, grads, program, summed).


class _Elementwise:
    """One fixed-arity rule applied to several nodes at once, row by row."""

    __slots__ = ("rule", "block", "args", "nodes", "parents_at", "checked", "fns")

    def __init__(self, rule: ops.Rule, block: int, args: list, nodes: list) -> None:
        self.rule, self.block, self.args, self.nodes = rule, block, args, nodes
        self.parents_at = [k for k, a in enumerate(args) if isinstance(a, _Rows)]
        self.checked = rule.name not in TOTAL_RULES
        if rule.constant_partials is not None:
            self.fns = [_constant(rule.constant_partials[k]) for k in self.parents_at]
        else:
            self.fns = [rule.partials[k] for k in self.parents_at]

    def sort_rows(self, program: _Program, keys: list) -> None:
        """Put this step's nodes in the order of ``keys`` (one per node); readers of its block follow."""
        order = sorted(range(len(self.nodes)), key=keys.__getitem__)
        if order == list(range(len(order))):
            return
        self.nodes = [self.nodes[i] for i in order]
        for a in self.args:
            if isinstance(a, _Rows):
                a.rows = [a.rows[i] for i in order]
                a.arrange(program)
            else:
                a.values = a.values[order]
        new_row = [0] * len(order)
        for new, old in enumerate(order):
            new_row[old] = new
        program.move_rows(self.block, new_row)

    def forward(self, values: list, offset: int, pending: list):
        rule = self.rule
        xs = [a.take(values) for a in self.args]
        try:
            out = rule.forward(NUMPY, *xs)
            ds = [fn(NUMPY, out, *xs) for fn in self.fns]
        except (ArithmeticError, ValueError) as e:
            raise DomainError(f"{rule.name} cannot be evaluated on this batch: {rule.domain or e} ({e})") from None
        if self.checked:
            pending.append(out)
            for d in ds:
                # A partial that is one of the arguments is finite already; check computed ones.
                if d.__class__ is np.ndarray and not _is_one_of(d, xs):
                    pending.append(d)
        values[self.block] = out
        return ds

    def check(self, values: list, ds: list, offset: int) -> None:
        xs = [a.take(values) for a in self.args]
        _check(self.rule, self.nodes, xs, values[self.block], ds, self.parents_at, offset)

    def backward(self, values: list, ds: list, grads: list, program: _Program, summed: bool) -> None:
        g = grads[self.block]
        if g is None:
            return  # nothing depends on these nodes
        args = self.args
        for d, k in zip(ds, self.parents_at):
            if d.__class__ is float and d == 1.0:
                args[k].add(grads, g, program, summed)
            else:
                args[k].add(grads, g * d, program, summed, fresh=True)


class _Affine:
    """The units of one layer: Z = W·X (+ b), every unit a row of Z."""

    __slots__ = ("block", "k", "n", "w", "x", "b", "nodes")

    def __init__(self, block, k, n, w, x, b, nodes) -> None:
        self.block, self.k, self.n, self.w, self.x, self.b, self.nodes = block, k, n, w, x, b, nodes

    def forward(self, values: list, offset: int, pending: list):
        W = self.w.take(values).reshape(self.k, self.n)
        X = self.x.take(values)
        Z = W @ X
        if self.b is not None:
            Z += self.b.take(values)
        pending.append(Z)
        values[self.block] = Z
        return W, X

    def check(self, values: list, saved, offset: int) -> None:
        Z = values[self.block]
        if not _all_finite(Z):
            bias = self.b.take(values) if self.b is not None else None
            raise _affine_error(self.nodes, saved[0], saved[1], bias, Z, offset)

    def backward(self, values: list, saved, grads: list, program: _Program, summed: bool) -> None:
        G = grads[self.block]
        if G is None:
            return
        W, X = saved
        if summed:
            dW = G @ X.T if X.shape[1] == G.shape[1] else G.sum(axis=1, keepdims=True) @ X.T
            self.w.add(grads, dW.reshape(-1, 1), program, summed, fresh=True)
        else:
            dW = (G[:, None, :] * X[None, :, :]).reshape(self.k * self.n, -1)
            self.w.add(grads, dW, program, summed, fresh=True)
        if self.b is not None:
            self.b.add(grads, G, program, summed)
        self.x.add(grads, W.T @ G, program, summed, fresh=True)


class _Sum:
    """Σ of several rows (of one or more blocks) and constants."""

    __slots__ = ("block", "parts", "constant", "node")

    def __init__(self, block, parts, constant, node) -> None:
        self.block, self.parts, self.constant, self.node = block, parts, constant, node

    def forward(self, values: list, offset: int, pending: list):
        total = None
        for part in self.parts:
            s = _add_reduce(part.take(values), axis=0, keepdims=True)
            total = s if total is None else total + s
        if self.constant:
            total = total + self.constant
        pending.append(total)
        values[self.block] = total
        return None

    def check(self, values: list, saved, offset: int) -> None:
        total = values[self.block]
        if not _all_finite(total):
            raise DomainError(f"sum at sample {offset + int(np.flatnonzero(~np.isfinite(total[0]))[0])} "
                              f"of the batch: the result is not finite; the result overflows float64")

    def backward(self, values: list, saved, grads: list, program: _Program, summed: bool) -> None:
        g = grads[self.block]
        if g is None:
            return
        for part in self.parts:
            part.add(grads, g, program, summed)


class _Node:
    """One node of any rule, replayed on its own."""

    __slots__ = ("rule", "block", "args", "node", "parents_at")

    def __init__(self, rule: ops.Rule, block: int, args: list, node: Value) -> None:
        self.rule, self.block, self.args, self.node = rule, block, args, node
        self.parents_at = [k for k, a in enumerate(args) if isinstance(a, _Rows)]

    def forward(self, values: list, offset: int, pending: list):
        rule = self.rule
        xs = [a.take(values) for a in self.args]
        try:
            out = rule.forward(NUMPY, *xs)
            if rule.arity is None:
                every = rule.nary_partials(NUMPY, out, tuple(xs))
                ds = [every[k] for k in self.parents_at]
            else:
                ds = [rule.partials[k](NUMPY, out, *xs) for k in self.parents_at]
        except (ArithmeticError, ValueError) as e:
            raise DomainError(f"{rule.name} cannot be evaluated on this batch: {rule.domain or e} ({e})") from None
        out = np.asarray(out, dtype=float).reshape(1, -1)
        pending.append(out)
        given = {id(x) for x in xs}  # a partial that is an argument is finite already
        for d in ds:
            if d.__class__ is np.ndarray and id(d) not in given:
                pending.append(d)
        values[self.block] = out
        return ds

    def check(self, values: list, ds: list, offset: int) -> None:
        xs = [a.take(values) for a in self.args]
        _check(self.rule, [self.node], xs, values[self.block], ds, self.parents_at, offset)

    def backward(self, values: list, ds: list, grads: list, program: _Program, summed: bool) -> None:
        g = grads[self.block]
        if g is None:
            return
        for d, k in zip(ds, self.parents_at):
            contribution = g if (d.__class__ is float and d == 1.0) else g * d
            if contribution.__class__ is not np.ndarray:
                contribution = np.full((1, 1), contribution)
            self.args[k].add(grads, contribution, program, summed)


def _check(rule: ops.Rule, nodes: list, xs: list, out, ds: list, parents_at: list, offset: int) -> None:
    """Raise the DomainError of the first non-finite result or partial of a step, if any."""
    if not _all_finite(out):
        raise _domain_error(rule, nodes, xs, out, "the result", offset)
    for d, k in zip(ds, parents_at):
        if d.__class__ is np.ndarray and not _all_finite(d):
            raise _domain_error(rule, nodes, xs, d, f"its derivative in argument {k + 1}", offset)


def _constant(d: float):
    return lambda m, out, *xs: d


def _is_one_of(d, xs) -> bool:
    """Whether ``d`` is one of the (one or two) arguments of an elementwise step."""
    for x in xs:
        if d is x:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Errors and progress


def _first_bad(bad) -> tuple[int, int, int]:
    """(row, column, how many columns of that row are not finite) of the first non-finite entry."""
    bad = np.atleast_2d(np.asarray(bad, dtype=float))
    rows, cols = np.nonzero(~np.isfinite(bad))
    r, c = int(rows[0]), int(cols[0])
    return r, c, int((~np.isfinite(bad[r])).sum())


def _domain_error(rule: ops.Rule, nodes: list, xs: list, bad, what: str, offset: int) -> DomainError:
    r, c, count = _first_bad(bad)
    node = nodes[min(r, len(nodes) - 1)]
    labels = iter(p.label for p in node.parents)
    consts = node.consts if node.consts is not None else (None,) * len(node.parents)
    shown = []
    for k, x in enumerate(xs):
        a = np.atleast_2d(np.asarray(x, dtype=float))
        value = float(a[min(r, a.shape[0] - 1), min(c, a.shape[1] - 1)])
        label = next(labels) if consts[k] is None else ""
        shown.append((f"{label}=" if label else "") + repr(value))
    why = rule.domain or "the result is not a finite number"
    width = np.atleast_2d(np.asarray(bad)).shape[-1]
    if width == 1 and not any(np.atleast_2d(np.asarray(x)).shape[-1] > 1 for x in xs):
        return DomainError(f"{rule.name}({', '.join(shown)}) is not finite (the same for every sample): "
                           f"{what} is not finite; {why}")
    return DomainError(f"{rule.name}({', '.join(shown)}) at sample {offset + c} of the batch ({count} sample(s) "
                       f"in all): {what} is not finite; {why}")


def _affine_error(nodes, W, X, bias, Z, offset) -> DomainError:
    r, c, count = _first_bad(Z)
    node = nodes[r]
    parts = [f"{w!r}·{x!r}" for w, x in zip(W[r].tolist(), X[:, min(c, X.shape[1] - 1)].tolist())]
    if bias is not None:
        parts.append(repr(float(np.atleast_2d(bias)[r, min(c, np.atleast_2d(bias).shape[1] - 1)])))
    name = f"{node.label!r} = " if node.label else ""
    return DomainError(f"linear {name}{' + '.join(parts)} at sample {offset + c} of the batch ({count} sample(s) "
                       f"in all): the result is not finite; the result overflows float64")


class _Progress:
    """A one-line progress report on standard error, shown only where someone can see it."""

    def __init__(self, what: str, total: int, enabled: bool | None) -> None:
        stream = sys.stderr
        if enabled is None:
            enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.stream, self.what, self.total, self.enabled = stream, what, total, enabled
        self.start = time.perf_counter()
        self.shown = False

    def __enter__(self) -> "_Progress":
        return self

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        seconds = time.perf_counter() - self.start
        line = f"\r{self.what}: {done:,}/{self.total:,} samples ({100 * done / self.total:.0f}%), {seconds:.1f} s"
        self.stream.write(line)
        self.stream.flush()
        self.shown = True

    def __exit__(self, *exc) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _name(v) -> str:
    if isinstance(v, Value):
        return repr(v.label) if v.label else f"an unnamed leaf (data {v.data!r})"
    return repr(v)


def _resolve_input(x, leaves: Sequence[Value], leaf_ids: set) -> Value:
    if isinstance(x, str):
        found = [v for v in leaves if v.label == x]
        if len(found) != 1:
            labels = sorted({v.label for v in leaves if v.label})
            raise ValueError(f"the label {x!r} names {len(found)} leaves of the graph, not one; "
                             f"leaf labels are {labels}; pass the Value itself instead")
        return found[0]
    if not isinstance(x, Value):
        raise TypeError(f"an input is a leaf Value of the graph (or its label), got {type(x).__name__}")
    if id(x) not in leaf_ids and x.parents:
        raise ValueError(f"input {_name(x)} is the output of {x.op}, not a leaf; inputs must be leaves")
    return x  # a leaf the root does not depend on: its column is read and ignored, its gradient is 0

